//! Per-request DataLoaders: every relation of an entry is read in one batched statement per
//! page, whatever the page size. One `DataLoader<Batch>` serves every key type below.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::Lookahead;
use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use entity::{contact, entry, external_ref, organisation, prize};
use sea_orm::{DatabaseConnection, DbErr};

use crate::store;
use crate::store::facets::Facet;

/// The batch source: the database pool. Key newtypes select the relation.
pub struct Batch {
    db: DatabaseConnection,
    /// Facet counts already read in this request: a facet is counted for all its keys at once,
    /// so a later batch (a long list resolves in several) needs no SQL. Held across the read so
    /// that concurrent batches wait for it instead of counting again.
    counted: tokio::sync::Mutex<HashMap<Facet, Arc<HashMap<String, i64>>>>,
}

/// The per-request loader, put into the request's data. It caches for the request's
/// lifetime, so a page can be prefetched into it (see [`prefetch`]).
pub type Loaders = DataLoader<Batch, HashMapCache>;

/// A new loader for one request.
pub fn new(db: DatabaseConnection) -> Loaders {
    DataLoader::with_cache(
        Batch {
            db,
            counted: Default::default(),
        },
        crate::telemetry::spawn_counted,
        HashMapCache::default(),
    )
    // Pages prefetch their relations; what is left (`node(id:)`, a single entry's links) would
    // otherwise wait out the default 1 ms batching window. See docs/BENCHMARKS.md.
    .delay(std::time::Duration::ZERO)
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
/// Global Digital Compact objective codes of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GdcOf(pub i64);
/// Prize records of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PrizesOf(pub i64);
/// Repository ids of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RepositoriesOf(pub i64);
/// The number of visible entries under a facet's key (`entryCount`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CountOf(pub Facet, pub String);
/// External references of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExternalRefsOf(pub i64);
/// The contact person of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContactOf(pub i64);

/// Drops everything cached, after a write in this request.
pub fn forget(loaders: &Loaders) {
    loaders.clear::<OrgId>();
    loaders.clear::<CountriesOf>();
    loaders.clear::<RegionsOf>();
    loaders.clear::<CategoriesOf>();
    loaders.clear::<SdgsOf>();
    loaders.clear::<GdcOf>();
    loaders.clear::<PrizesOf>();
    loaders.clear::<RepositoriesOf>();
    loaders.clear::<ExternalRefsOf>();
    loaders.clear::<ContactOf>();
    loaders.clear::<CountOf>();
    if let Ok(mut counted) = loaders.loader().counted.try_lock() {
        counted.clear();
    }
}

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

impl Loader<CountOf> for Batch {
    type Value = i64;
    type Error = Arc<DbErr>;

    /// One statement per facet and request, counting every key of it at once. `entryCount`
    /// counts published entries for every caller: the facet summary's `''` scope when it keeps
    /// the facet, else a live count.
    async fn load(&self, keys: &[CountOf]) -> LoadResult<CountOf, i64> {
        let mut facets: Vec<Facet> = keys.iter().map(|k| k.0).collect();
        facets.sort_by_key(|f| *f as u8);
        facets.dedup();
        let mut out = HashMap::new();
        for facet in facets {
            let mut counted = self.counted.lock().await;
            let counts = match counted.get(&facet) {
                Some(c) => c.clone(),
                None => {
                    let c = match store::facets::summary_counts(&self.db, facet, "", None).await? {
                        Some(rows) => rows.into_iter().collect(),
                        None => store::facets::count_map(&self.db, facet, &store::visibility::published()).await?,
                    };
                    let c = Arc::new(c);
                    counted.insert(facet, c.clone());
                    c
                }
            };
            drop(counted);
            for key in keys.iter().filter(|k| k.0 == facet) {
                out.insert(key.clone(), counts.get(&key.1).copied().unwrap_or(0));
            }
        }
        Ok(out)
    }
}

impl Loader<ContactOf> for Batch {
    type Value = Option<contact::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[ContactOf]) -> LoadResult<ContactOf, Self::Value> {
        let map = store::links::contacts(&self.db, &raw(keys, |k| k.0)).await?;
        Ok(map.into_iter().map(|(k, v)| (ContactOf(k), Some(v))).collect())
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
link_loader!(GdcOf, Vec<String>, store::links::gdc_objectives);
link_loader!(PrizesOf, Vec<prize::Model>, store::links::prizes);
link_loader!(RepositoriesOf, Vec<i32>, store::links::repositories);
link_loader!(ExternalRefsOf, Vec<external_ref::Model>, store::links::external_refs);

/// Whether any of the selections (`nodes`, `edges.node`) selects `field`.
fn selects(selections: &[Lookahead<'_>], field: &str) -> bool {
    selections.iter().any(|s| s.field(field).exists())
}

/// Feeds `map` into the cache for every id, with an empty value where an entry has no links,
/// so that the entries' resolvers find everything cached.
async fn feed<K, V>(loaders: &Loaders, ids: &[i64], mut map: HashMap<i64, V>, key: impl Fn(i64) -> K)
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    V: Default,
    Batch: Loader<K, Value = V>,
{
    loaders
        .feed_many(ids.iter().map(|&id| (key(id), map.remove(&id).unwrap_or_default())))
        .await;
}

/// Loads, for a whole page of entries, each relation that `selections` (the page's entry
/// selections) asks for: one statement per relation, whatever the page size and however long
/// resolving takes (a DataLoader batch window can close halfway through a large page).
/// Contacts are read only when the caller may see some (`private`: it has a key that is not
/// an integration's).
pub async fn prefetch(
    loaders: &Loaders,
    db: &DatabaseConnection,
    selections: &[Lookahead<'_>],
    entries: &[entry::Model],
    private: bool,
) -> Result<(), DbErr> {
    if entries.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
    if selects(selections, "organisation") {
        let mut org_ids: Vec<i64> = entries.iter().map(|e| e.organisation_id).collect();
        org_ids.sort_unstable();
        org_ids.dedup();
        let orgs = store::organisations::by_ids(db, &org_ids).await?;
        loaders
            .feed_many(orgs.into_iter().map(|(k, v)| (OrgId(k), Arc::new(v))))
            .await;
    }
    if selects(selections, "countries") || selects(selections, "regions") {
        feed(loaders, &ids, store::links::countries(db, &ids).await?, CountriesOf).await;
    }
    if selects(selections, "regions") {
        feed(loaders, &ids, store::links::regions(db, &ids).await?, RegionsOf).await;
    }
    if selects(selections, "actionLines") {
        feed(loaders, &ids, store::links::categories(db, &ids).await?, CategoriesOf).await;
    }
    if selects(selections, "sdgs") {
        feed(loaders, &ids, store::links::sdgs(db, &ids).await?, SdgsOf).await;
    }
    if selects(selections, "gdcObjectives") {
        feed(loaders, &ids, store::links::gdc_objectives(db, &ids).await?, GdcOf).await;
    }
    if selects(selections, "prizes") {
        feed(loaders, &ids, store::links::prizes(db, &ids).await?, PrizesOf).await;
    }
    if selects(selections, "repositories") {
        feed(
            loaders,
            &ids,
            store::links::repositories(db, &ids).await?,
            RepositoriesOf,
        )
        .await;
    }
    if private && selects(selections, "contact") {
        let map = store::links::contacts(db, &ids).await?;
        let map = map.into_iter().map(|(k, v)| (k, Some(v))).collect();
        feed(loaders, &ids, map, ContactOf).await;
    }
    if selects(selections, "externalRefs") {
        feed(
            loaders,
            &ids,
            store::links::external_refs(db, &ids).await?,
            ExternalRefsOf,
        )
        .await;
    }
    Ok(())
}
