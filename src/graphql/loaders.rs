//! Per-request DataLoaders: every relation of an entry is read in one batched statement per
//! page, whatever the page size. One `DataLoader<Batch>` serves every key type below.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, Loader};
use entity::{external_ref, organisation, prize};
use sea_orm::{DatabaseConnection, DbErr};

use crate::store;

/// The batch source: the database pool. Key newtypes select the relation.
pub struct Batch {
    db: DatabaseConnection,
}

/// The per-request loader, put into the request's data.
pub type Loaders = DataLoader<Batch>;

/// A new loader for one request.
pub fn new(db: DatabaseConnection) -> Loaders {
    DataLoader::new(Batch { db }, tokio::spawn)
}

/// Organisation by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OrgId(pub i64);
/// Country codes of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CountriesOf(pub i64);
/// Regional tags of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RegionsOf(pub i64);
/// Category codes of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CategoriesOf(pub i64);
/// SDG numbers of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SdgsOf(pub i64);
/// Prize records of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PrizesOf(pub i64);
/// Repository ids of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RepositoriesOf(pub i64);
/// External references of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExternalRefsOf(pub i64);

type LoadResult<K, V> = Result<HashMap<K, V>, Arc<DbErr>>;

fn rekey<K: std::hash::Hash + Eq, V>(map: HashMap<i64, V>, key: impl Fn(i64) -> K) -> HashMap<K, V> {
    map.into_iter().map(|(k, v)| (key(k), v)).collect()
}

fn raw<K: Copy>(keys: &[K], id: impl Fn(K) -> i64) -> Vec<i64> {
    keys.iter().map(|&k| id(k)).collect()
}

impl Loader<OrgId> for Batch {
    type Value = Arc<organisation::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[OrgId]) -> LoadResult<OrgId, Self::Value> {
        let map = store::organisations::by_ids(&self.db, &raw(keys, |k| k.0)).await?;
        Ok(map.into_iter().map(|(k, v)| (OrgId(k), Arc::new(v))).collect())
    }
}

macro_rules! link_loader {
    ($key:ident, $value:ty, $fetch:path) => {
        impl Loader<$key> for Batch {
            type Value = $value;
            type Error = Arc<DbErr>;

            async fn load(&self, keys: &[$key]) -> LoadResult<$key, Self::Value> {
                Ok(rekey($fetch(&self.db, &raw(keys, |k| k.0)).await?, $key))
            }
        }
    };
}

link_loader!(CountriesOf, Vec<String>, store::links::countries);
link_loader!(RegionsOf, Vec<String>, store::links::regions);
link_loader!(CategoriesOf, Vec<String>, store::links::categories);
link_loader!(SdgsOf, Vec<i32>, store::links::sdgs);
link_loader!(PrizesOf, Vec<prize::Model>, store::links::prizes);
link_loader!(RepositoriesOf, Vec<i32>, store::links::repositories);
link_loader!(ExternalRefsOf, Vec<external_ref::Model>, store::links::external_refs);
