//! The SDL is snapshot-tested so every schema change shows in review.

#[test]
fn sdl_snapshot() {
    insta::assert_snapshot!("sdl", stocktaking::graphql::schema::sdl());
}
