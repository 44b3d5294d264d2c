//! Reading the change log.

use entity::change;
use entity::enums::Moderation;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// Changes after `after` (a sequence number), in order, at most `limit`. With `published_set`,
/// only those that touched the published set: the entry was published before or after it.
pub async fn after(
    db: &impl ConnectionTrait,
    after: i64,
    limit: u64,
    published_set: bool,
) -> Result<Vec<change::Model>, DbErr> {
    let mut q = change::Entity::find().filter(change::Column::Seq.gt(after));
    if published_set {
        q = q.filter(
            Condition::any()
                .add(change::Column::ModerationBefore.eq(Moderation::Published))
                .add(change::Column::ModerationAfter.eq(Moderation::Published)),
        );
    }
    q.order_by_asc(change::Column::Seq).limit(limit).all(db).await
}

/// The last sequence number, 0 for an empty log.
pub async fn latest(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let max: Option<Option<i64>> = change::Entity::find()
        .select_only()
        .column_as(change::Column::Seq.max(), "max")
        .into_tuple()
        .one(db)
        .await?;
    Ok(max.flatten().unwrap_or(0))
}
