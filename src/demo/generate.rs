//! Generating the demo dataset in memory, one chunk of entries at a time.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use entity::enums::{Moderation, PrizeResult, StakeholderType};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::entry::short_name;
use super::shape::{CATEGORY_WEIGHTS, MODERATIONS, REGION_WEIGHTS, STAKEHOLDERS, created_at, initials, weighted};
use super::vocab;
use crate::catalog::Catalog;
use crate::store::bulk::EntryRow;

pub struct Org {
    pub id: i64,
    pub name: String,
    pub stakeholder: StakeholderType,
    pub country: Option<String>,
    pub domain: String,
    pub international: Option<usize>,
    pub created_at: DateTime<Utc>,
}

/// What is decided for every entry before any is written (so prizes and repositories can be
/// chosen among them).
pub(super) struct Skeleton {
    pub(super) created: DateTime<Utc>,
    pub(super) org: u32,
    /// Indexes into the catalogue's categories.
    pub(super) categories: Vec<u8>,
    pub(super) moderation: Moderation,
}

pub struct Prize {
    pub year: i32,
    pub category: String,
    pub result: PrizeResult,
}

/// The whole dataset, decided up front except for the text of each entry.
pub struct Plan<'a> {
    pub(super) cat: &'a Catalog,
    pub(super) seed: u64,
    pub organisations: Vec<Org>,
    pub(super) skeletons: Vec<Skeleton>,
    pub(super) prizes: HashMap<usize, Vec<Prize>>,
    pub(super) covid: HashSet<usize>,
    pub(super) ungis: HashSet<usize>,
    /// UN members and observers per ITU-D region code.
    pub(super) pools: HashMap<String, Vec<String>>,
}

impl<'a> Plan<'a> {
    pub fn new(cat: &'a Catalog, n: u32, seed: u64) -> Plan<'a> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut pools: HashMap<String, Vec<String>> = HashMap::new();
        for c in &cat.countries {
            if c.un_status != "NONE" {
                pools.entry(c.itu_region.clone()).or_default().push(c.alpha2.clone());
            }
        }
        let mut plan = Plan {
            cat,
            seed,
            organisations: Vec::new(),
            skeletons: Vec::with_capacity(n as usize),
            prizes: HashMap::new(),
            covid: HashSet::new(),
            ungis: HashSet::new(),
            pools,
        };
        plan.organisations = plan.make_orgs(&mut rng, (n as usize * 2 / 5).max(8));
        let orgs = plan.organisations.len() as f64;
        let categories: Vec<(u8, u32)> = CATEGORY_WEIGHTS
            .iter()
            .filter_map(|(code, w)| cat.action_line(code).map(|a| (a.idx as u8, *w)))
            .collect();
        for i in 0..n {
            let created = created_at(i, n, &mut rng);
            // A few organisations submit many entries; most submit one or two.
            let org = ((rng.random::<f64>().powf(1.7) * orgs) as u32).min(orgs as u32 - 1);
            let mut cats = vec![*weighted(&mut rng, &categories)];
            for _ in 0..[0, 0, 1, 1, 2][rng.random_range(0..5)] {
                let c = *weighted(&mut rng, &categories);
                if !cats.contains(&c) {
                    cats.push(c);
                }
            }
            let mut moderation = *weighted(&mut rng, MODERATIONS);
            if matches!(moderation, Moderation::Submitted | Moderation::Draft) && created.year() < 2024 {
                moderation = Moderation::Published;
            }
            plan.skeletons.push(Skeleton {
                created,
                org,
                categories: cats,
                moderation,
            });
        }
        plan.choose_prizes(&mut rng);
        plan.choose_repositories(&mut rng, n);
        plan
    }

    pub(super) fn country_in(&self, rng: &mut ChaCha8Rng, region: &str) -> String {
        self.pools
            .get(region)
            .and_then(|p| p.choose(rng))
            .cloned()
            .unwrap_or_else(|| "CH".to_owned())
    }

    pub(super) fn make_orgs(&self, rng: &mut ChaCha8Rng, count: usize) -> Vec<Org> {
        let mut names: HashMap<String, u32> = HashMap::new();
        let mut orgs = Vec::with_capacity(count);
        let intl_count = vocab::INTERNATIONAL.len();
        let mut next_intl = 0;
        while orgs.len() < count {
            let stakeholder = *weighted(rng, STAKEHOLDERS);
            let region = *weighted(rng, REGION_WEIGHTS);
            let code = self.country_in(rng, region);
            let cname = self.cat.country(&code).map(|c| short_name(&c.name)).unwrap_or_default();
            let cc = code.to_ascii_lowercase();
            let (name, country, domain, international) = match stakeholder {
                StakeholderType::Government => {
                    let name = if rng.random_bool(0.5) {
                        format!(
                            "Ministry of {} of {cname}",
                            vocab::MINISTRIES.choose(rng).unwrap_or(&"")
                        )
                    } else {
                        format!("{} of {cname}", vocab::AGENCIES.choose(rng).unwrap_or(&""))
                    };
                    let domain = format!("{}.gov.{cc}", initials(&name));
                    (name, Some(code), domain, None)
                }
                StakeholderType::PrivateSector => {
                    let stem = vocab::COMPANY_STEMS.choose(rng).unwrap_or(&"");
                    let kind = vocab::COMPANY_KINDS.choose(rng).unwrap_or(&"");
                    let name = format!("{stem} {kind} {cname}");
                    let domain = format!("{}{}.{cc}", stem.to_ascii_lowercase(), initials(kind));
                    (name, Some(code), domain, None)
                }
                StakeholderType::CivilSociety => {
                    let name = format!(
                        "{cname} {} {}",
                        vocab::CIVIL_TOPICS.choose(rng).unwrap_or(&""),
                        vocab::CIVIL_KINDS.choose(rng).unwrap_or(&"")
                    );
                    let domain = format!("{}.org.{cc}", initials(&name));
                    (name, Some(code), domain, None)
                }
                StakeholderType::Academia => {
                    let name = vocab::ACADEMIC.choose(rng).unwrap_or(&"").replace("{c}", &cname);
                    let domain = format!("{}.edu.{cc}", initials(&name));
                    (name, Some(code), domain, None)
                }
                StakeholderType::InternationalOrganisation if next_intl < intl_count => {
                    let (name, hq) = vocab::INTERNATIONAL[next_intl];
                    next_intl += 1;
                    let domain = format!("{}.int", initials(name));
                    (name.to_owned(), hq.map(str::to_owned), domain, Some(next_intl - 1))
                }
                StakeholderType::InternationalOrganisation => {
                    let region_name = self.cat.region(region).map(|r| r.name.clone()).unwrap_or_default();
                    let name = format!(
                        "{region_name} {} {}",
                        vocab::CIVIL_TOPICS.choose(rng).unwrap_or(&""),
                        ["Partnership", "Consortium", "Observatory", "Council"][rng.random_range(0..4)]
                    );
                    let domain = format!("{}.int", initials(&name));
                    (name, Some(code), domain, None)
                }
                StakeholderType::Other => {
                    let name = vocab::OTHER_ORGS.choose(rng).unwrap_or(&"").replace("{c}", &cname);
                    let domain = format!("{}.{cc}", initials(&name));
                    (name, Some(code), domain, None)
                }
            };
            // Name combinations run out in large datasets: number the offices of a name.
            let seen = names.entry(name.clone()).or_insert(0u32);
            *seen += 1;
            let name = if *seen == 1 {
                name
            } else {
                format!("{name}, Office {seen}")
            };
            let year = rng.random_range(2003..=2020);
            orgs.push(Org {
                id: orgs.len() as i64 + 1,
                name,
                stakeholder,
                country,
                domain,
                international,
                created_at: Utc.with_ymd_and_hms(year, 1, 1, 0, 0, 0).single().unwrap_or_default()
                    + Duration::days(rng.random_range(0..365)),
            });
        }
        orgs
    }

    /// WSIS Prizes: nominees from 2012, then from 2016 per category a winner and four
    /// champions (18 and 72 a year). An entry competes in the six prize years after its
    /// creation, at most once a year.
    fn choose_prizes(&mut self, rng: &mut ChaCha8Rng) {
        let last_year = self
            .skeletons
            .last()
            .map(|s| s.created.year())
            .unwrap_or(2012)
            .min(2026);
        let mut by_year: HashMap<i32, Vec<usize>> = HashMap::new();
        for (i, s) in self.skeletons.iter().enumerate() {
            by_year.entry(s.created.year()).or_default().push(i);
        }
        for year in 2012..=last_year {
            let mut taken = HashSet::new();
            let pool: Vec<usize> = (year - 5..=year)
                .flat_map(|y| by_year.get(&y).cloned().unwrap_or_default())
                .collect();
            // The 18 prize categories: every category but C7 itself (its sub-lines compete).
            let prize_categories = self
                .cat
                .action_lines
                .iter()
                .filter(|a| a.sub_lines.is_empty())
                .map(|a| a.idx as u8);
            for cat in prize_categories {
                let mut candidates: Vec<usize> = pool
                    .iter()
                    .copied()
                    .filter(|&i| {
                        let s = &self.skeletons[i];
                        s.moderation == Moderation::Published && s.categories.contains(&cat) && !taken.contains(&i)
                    })
                    .collect();
                candidates.shuffle(rng);
                // Nominees scale with the dataset; the 18 winners and 72 champions do not.
                let nominees = |per: u64| (per * self.skeletons.len() as u64).div_ceil(12_500) as usize;
                let (winners, champions, nominees) = if year >= 2016 {
                    (1, 4, nominees(10))
                } else {
                    (0, 0, nominees(5))
                };
                let code = &self.cat.action_lines[cat as usize].code;
                for (k, &i) in candidates.iter().take(winners + champions + nominees).enumerate() {
                    let result = if k < winners {
                        PrizeResult::Winner
                    } else if k < winners + champions {
                        PrizeResult::Champion
                    } else {
                        PrizeResult::Nominee
                    };
                    taken.insert(i);
                    self.prizes.entry(i).or_default().push(Prize {
                        year,
                        category: code.clone(),
                        result,
                    });
                }
            }
        }
    }

    /// About 300 of 12,500 entries (scaled) from 2020–2021 in the COVID-19 repository, mostly
    /// e-health, e-learning, e-business and e-government; UN agencies' entries in UNGIS's.
    fn choose_repositories(&mut self, rng: &mut ChaCha8Rng, n: u32) {
        let want = ((u64::from(n) * 300).div_ceil(12_500)) as usize;
        let favoured: BTreeSet<u8> = [
            "C7_E_HEALTH",
            "C7_E_LEARNING",
            "C7_E_BUSINESS",
            "C7_E_GOVERNMENT",
            "C7_E_EMPLOYMENT",
        ]
        .iter()
        .filter_map(|c| self.cat.action_line(c).map(|a| a.idx as u8))
        .collect();
        let mut candidates: Vec<usize> = (0..self.skeletons.len())
            .filter(|&i| {
                let s = &self.skeletons[i];
                (2020..=2021).contains(&s.created.year()) && s.moderation == Moderation::Published
            })
            .collect();
        candidates.shuffle(rng);
        candidates.sort_by_key(|&i| !self.skeletons[i].categories.iter().any(|c| favoured.contains(c)));
        self.covid = candidates.into_iter().take(want).collect();
        self.ungis = (0..self.skeletons.len())
            .filter(|&i| {
                let org = &self.organisations[self.skeletons[i].org as usize];
                org.international.is_some_and(|k| k < vocab::UN_AGENCIES) && self.skeletons[i].created.year() >= 2015
            })
            .collect();
    }

    /// The entries `range` in full. Each chunk draws from its own generator, derived from the
    /// seed and the chunk's start, so chunks can be made in any order.
    pub fn entries(&self, range: std::ops::Range<usize>) -> Vec<EntryRow> {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed ^ (range.start as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        range.map(|i| self.entry(i, &mut rng)).collect()
    }

    pub fn len(&self) -> usize {
        self.skeletons.len()
    }
}
