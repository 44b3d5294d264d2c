//! Generating the demo dataset in memory, one chunk of entries at a time.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use entity::enums::{ActivityType, Coverage, EntryStatus, Moderation, PrizeResult, StakeholderType};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::vocab;
use crate::catalog::Catalog;
use crate::store::bulk::EntryRow;
use crate::store::writes::{ContactData, EntryData};

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
struct Skeleton {
    created: DateTime<Utc>,
    org: u32,
    /// Indexes into the catalogue's categories.
    categories: Vec<u8>,
    moderation: Moderation,
}

pub struct Prize {
    pub year: i32,
    pub category: String,
    pub result: PrizeResult,
}

/// The whole dataset, decided up front except for the text of each entry.
pub struct Plan<'a> {
    cat: &'a Catalog,
    seed: u64,
    pub organisations: Vec<Org>,
    skeletons: Vec<Skeleton>,
    prizes: HashMap<usize, Vec<Prize>>,
    covid: HashSet<usize>,
    ungis: HashSet<usize>,
    /// UN members and observers per ITU-D region code.
    pools: HashMap<String, Vec<String>>,
}

/// Cumulative share of all entries created by the end of each year: ≈2,400 of 12,500 by 2005,
/// 4,200 by 2010, 12,000 by 2020, the rest since.
const GROWTH: &[(i32, f64)] = &[
    (2002, 0.0),
    (2003, 0.064),
    (2004, 0.128),
    (2005, 0.192),
    (2010, 0.336),
    (2020, 0.96),
    (2026, 1.0),
];

/// The last instant of the demo data.
fn horizon() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 10, 31, 12, 0, 0)
        .single()
        .unwrap_or_default()
}

fn cumulative(year: i32) -> f64 {
    for w in GROWTH.windows(2) {
        let ((y0, c0), (y1, c1)) = (w[0], w[1]);
        if year <= y1 {
            return c0 + (c1 - c0) * f64::from(year - y0) / f64::from(y1 - y0);
        }
    }
    1.0
}

/// When the `i`-th of `n` entries was created, following the growth curve.
fn created_at(i: u32, n: u32, rng: &mut ChaCha8Rng) -> DateTime<Utc> {
    let f = (f64::from(i) + 0.5) / f64::from(n);
    let mut year = 2003;
    while year < 2026 && cumulative(year) <= f {
        year += 1;
    }
    let (c0, c1) = (cumulative(year - 1), cumulative(year));
    let within = ((f - c0) / (c1 - c0)).clamp(0.0, 1.0);
    let span = if year == 2026 { 300.0 } else { 364.0 };
    let start = Utc.with_ymd_and_hms(year, 1, 1, 8, 0, 0).single().unwrap_or_default();
    start + Duration::seconds((within * span * 86_400.0) as i64 + rng.random_range(0..3600))
}

fn weighted<'t, T>(rng: &mut ChaCha8Rng, items: &'t [(T, u32)]) -> &'t T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut r = rng.random_range(0..total);
    for (item, w) in items {
        if r < *w {
            return item;
        }
        r -= w;
    }
    &items[items.len() - 1].0
}

const STAKEHOLDERS: &[(StakeholderType, u32)] = &[
    (StakeholderType::Government, 50),
    (StakeholderType::PrivateSector, 14),
    (StakeholderType::CivilSociety, 15),
    (StakeholderType::Academia, 9),
    (StakeholderType::InternationalOrganisation, 7),
    (StakeholderType::Other, 5),
];

const REGION_WEIGHTS: &[(&str, u32)] = &[
    ("AFRICA", 24),
    ("AMERICAS", 15),
    ("ARAB_STATES", 13),
    ("ASIA_PACIFIC", 22),
    ("CIS", 7),
    ("EUROPE", 19),
];

/// Category codes with their popularity as a primary tag.
const CATEGORY_WEIGHTS: &[(&str, u32)] = &[
    ("C1", 8),
    ("C2", 8),
    ("C3", 7),
    ("C4", 11),
    ("C5", 5),
    ("C6", 4),
    ("C7", 2),
    ("C7_E_GOVERNMENT", 10),
    ("C7_E_BUSINESS", 5),
    ("C7_E_LEARNING", 9),
    ("C7_E_HEALTH", 7),
    ("C7_E_EMPLOYMENT", 3),
    ("C7_E_ENVIRONMENT", 3),
    ("C7_E_AGRICULTURE", 4),
    ("C7_E_SCIENCE", 3),
    ("C8", 4),
    ("C9", 3),
    ("C10", 2),
    ("C11", 4),
];

const ACTIVITIES: &[(ActivityType, u32)] = &[
    (ActivityType::Project, 40),
    (ActivityType::Programme, 18),
    (ActivityType::Training, 12),
    (ActivityType::Conference, 6),
    (ActivityType::Publication, 6),
    (ActivityType::Website, 8),
    (ActivityType::Toolkit, 6),
    (ActivityType::Other, 4),
];

const COVERAGES: &[(Coverage, u32)] = &[
    (Coverage::National, 52),
    (Coverage::International, 20),
    (Coverage::Regional, 15),
    (Coverage::Local, 13),
];

const MODERATIONS: &[(Moderation, u32)] = &[
    (Moderation::Published, 960),
    (Moderation::Submitted, 15),
    (Moderation::Draft, 10),
    (Moderation::Rejected, 10),
    (Moderation::Withdrawn, 5),
];

fn initials(name: &str) -> String {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2 || w.chars().all(|c| c.is_uppercase()))
        .filter_map(|w| w.chars().next())
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
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

    fn country_in(&self, rng: &mut ChaCha8Rng, region: &str) -> String {
        self.pools
            .get(region)
            .and_then(|p| p.choose(rng))
            .cloned()
            .unwrap_or_else(|| "CH".to_owned())
    }

    fn make_orgs(&self, rng: &mut ChaCha8Rng, count: usize) -> Vec<Org> {
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

    fn entry(&self, i: usize, rng: &mut ChaCha8Rng) -> EntryRow {
        let s = &self.skeletons[i];
        let org = &self.organisations[s.org as usize];
        let categories: Vec<String> = s
            .categories
            .iter()
            .map(|&c| self.cat.action_lines[c as usize].code.clone())
            .collect();
        let coverage = if org.stakeholder == StakeholderType::InternationalOrganisation && rng.random_bool(0.7) {
            Coverage::International
        } else {
            *weighted(rng, COVERAGES)
        };
        let home = org.country.clone().unwrap_or_else(|| self.country_in(rng, "EUROPE"));
        let home_region = self
            .cat
            .country(&home)
            .map(|c| c.itu_region.clone())
            .unwrap_or_default();
        let mut countries = BTreeSet::new();
        let mut regions = BTreeSet::new();
        match coverage {
            Coverage::Local | Coverage::National => {
                countries.insert(if rng.random_bool(0.9) {
                    home.clone()
                } else {
                    self.country_in(rng, &home_region)
                });
            }
            Coverage::Regional => {
                for _ in 0..rng.random_range(2..=6) {
                    countries.insert(self.country_in(rng, &home_region));
                }
                if rng.random_bool(0.6) {
                    regions.insert(home_region.clone());
                }
            }
            Coverage::International => {
                if rng.random_bool(0.75) {
                    for _ in 0..rng.random_range(2..=8) {
                        let region = *weighted(rng, REGION_WEIGHTS);
                        countries.insert(self.country_in(rng, region));
                    }
                }
                if countries.is_empty() || rng.random_bool(0.3) {
                    for _ in 0..rng.random_range(1..=3) {
                        regions.insert(weighted(rng, REGION_WEIGHTS).to_string());
                    }
                }
            }
        }
        // SDGs mostly as the WSIS–SDG matrix links them to the entry's categories.
        let linked: Vec<i32> = {
            let mut v: BTreeSet<i32> = BTreeSet::new();
            for code in &categories {
                if let Some(a) = self.cat.action_line(code) {
                    v.extend(a.sdgs.iter().copied());
                    for sub in &a.sub_lines {
                        if let Some(s) = self.cat.action_line(sub) {
                            v.extend(s.sdgs.iter().copied());
                        }
                    }
                }
            }
            v.into_iter().collect()
        };
        let mut sdgs = BTreeSet::new();
        for _ in 0..rng.random_range(1..=4) {
            let n = if !linked.is_empty() && rng.random_bool(0.85) {
                *linked.choose(rng).unwrap_or(&17)
            } else {
                rng.random_range(1..=17)
            };
            sdgs.insert(n);
        }

        let primary = categories.first().cloned().unwrap_or_default();
        let (title, description) = self.text(rng, org, &home, &primary, s.created.year());

        let created = s.created;
        let updates = if rng.random_bool(0.4) {
            rng.random_range(1..=3)
        } else {
            0
        };
        let updated = if updates == 0 {
            created
        } else {
            (created + Duration::days(rng.random_range(30..1500))).min(horizon())
        };
        let start = NaiveDate::from_ymd_opt(
            created.year() - rng.random_range(0..=1),
            rng.random_range(1..=12),
            rng.random_range(1..=28),
        );
        let end = if rng.random_bool(0.7) {
            start.map(|d| d + Duration::days(rng.random_range(180..2000)))
        } else {
            None
        };
        let today = horizon().date_naive();
        let status = match (start, end) {
            (Some(s), _) if s > today => EntryStatus::Planned,
            (_, Some(e)) if e < today => {
                if rng.random_bool(0.9) {
                    EntryStatus::Completed
                } else {
                    EntryStatus::Ongoing
                }
            }
            _ if created.year() < 2015 && rng.random_bool(0.6) => EntryStatus::Completed,
            _ => EntryStatus::Ongoing,
        };
        let first = vocab::FIRST_NAMES.choose(rng).unwrap_or(&"");
        let last = vocab::LAST_NAMES.choose(rng).unwrap_or(&"");
        let phone = rng.random_bool(0.5).then(|| {
            format!(
                "+{} {:03} {:04}",
                rng.random_range(20..999),
                rng.random_range(0..1000),
                rng.random_range(0..10_000)
            )
        });
        let mut repositories = Vec::new();
        for (slug, set) in [("covid-19", &self.covid), ("ungis", &self.ungis)] {
            if set.contains(&i)
                && let Some(r) = self.cat.repositories.iter().find(|r| r.slug == slug)
            {
                repositories.push(r.id);
            }
        }
        let (name, email) = (
            format!("{first} {last}"),
            format!(
                "{}.{}@{}",
                first.to_ascii_lowercase(),
                last.to_ascii_lowercase(),
                org.domain
            ),
        );
        EntryRow {
            id: i as i64 + 1,
            number: 1_000_000 + (i as i64) * 4 + rng.random_range(0..4),
            data: EntryData {
                organisation_id: org.id,
                title,
                description,
                activity_type: *weighted(rng, ACTIVITIES),
                status,
                coverage,
                start_date: start,
                end_date: end,
                website: rng
                    .random_bool(0.6)
                    .then(|| format!("https://www.{}/{}", org.domain, i + 1)),
                year: updated.year(),
                countries: countries.into_iter().collect(),
                regions: regions.into_iter().collect(),
                categories,
                sdgs: sdgs.into_iter().collect(),
                contact: Some(ContactData { name, email, phone }),
            },
            created_at: created,
            updated_at: updated,
            version: 1 + updates,
            moderation: s.moderation,
            prizes: self
                .prizes
                .get(&i)
                .map(|p| p.iter().map(|p| (p.year, p.category.clone(), p.result)).collect())
                .unwrap_or_default(),
            repositories,
            external_refs: self
                .ungis
                .contains(&i)
                .then(|| ("ungis".to_owned(), format!("UNGIS-{:06}", i + 1)))
                .into_iter()
                .collect(),
        }
    }

    /// A title and description, in the organisation's language some of the time.
    fn text(&self, rng: &mut ChaCha8Rng, org: &Org, home: &str, category: &str, year: i32) -> (String, String) {
        let region = self.cat.country(home).map(|c| c.itu_region.as_str()).unwrap_or("");
        let lang = if vocab::FRENCH.contains(&home) {
            "fr"
        } else if vocab::SPANISH.contains(&home) {
            "es"
        } else if vocab::RUSSIAN.contains(&home) {
            "ru"
        } else if vocab::CHINESE.contains(&home) {
            "zh"
        } else if region == "ARAB_STATES" {
            "ar"
        } else {
            "en"
        };
        if lang != "en" && rng.random_bool(0.3) {
            let titles: Vec<&str> = vocab::FOREIGN_TITLES
                .iter()
                .filter(|(l, c, _)| *l == lang && *c == category)
                .map(|(_, _, t)| *t)
                .collect();
            let titles = if titles.is_empty() {
                vocab::FOREIGN_TITLES
                    .iter()
                    .filter(|(l, _, _)| *l == lang)
                    .map(|(_, _, t)| *t)
                    .collect()
            } else {
                titles
            };
            let descriptions: Vec<&str> = vocab::FOREIGN_DESCRIPTIONS
                .iter()
                .filter(|(l, _)| *l == lang)
                .map(|(_, d)| *d)
                .collect();
            if let (Some(t), Some(d)) = (titles.choose(rng), descriptions.choose(rng)) {
                return (format!("{t} ({year})"), (*d).to_owned());
            }
        }
        let subjects = vocab::SUBJECTS
            .iter()
            .find(|(c, _)| *c == category)
            .map(|(_, s)| *s)
            .unwrap_or(&[]);
        let subject = subjects.choose(rng).copied().unwrap_or("Digital Development Programme");
        let place = self
            .cat
            .country(home)
            .map(|c| short_name(&c.name))
            .unwrap_or_else(|| "the region".into());
        let audience = vocab::AUDIENCES.choose(rng).copied().unwrap_or("communities");
        let title = match rng.random_range(0..6) {
            0 => format!("{subject} in {place}"),
            1 => format!("{subject} for {}", title_case(audience)),
            2 => format!("{place}: {subject}"),
            3 => format!("{subject} {year}"),
            4 => format!("{subject}, Phase {}", rng.random_range(2..=4)),
            _ => subject.to_owned(),
        };
        let fill = |s: &str, rng: &mut ChaCha8Rng| {
            s.replace("{org}", &org.name)
                .replace("{place}", &place)
                .replace("{subject}", &subject.to_lowercase())
                .replace("{audience}", audience)
                .replace("{n}", &format!("{}", rng.random_range(2..200) * 500))
        };
        let mut parts = vec![fill(vocab::OPENINGS.choose(rng).unwrap_or(&""), rng)];
        let mut actions: Vec<&str> = vocab::ACTIONS.to_vec();
        actions.shuffle(rng);
        for a in actions.iter().take(rng.random_range(2..=4)) {
            parts.push(fill(a, rng));
        }
        parts.push(fill(vocab::RESULTS.choose(rng).unwrap_or(&""), rng));
        (title, parts.join(" "))
    }
}

/// "Korea, Republic of" → "Republic of Korea"; other names unchanged.
fn short_name(name: &str) -> String {
    match name.split_once(", ") {
        Some((a, b)) if !b.contains(',') => format!("{b} {a}"),
        _ => name.to_owned(),
    }
}

fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            if ["and", "with", "of"].contains(&w) {
                w.to_owned()
            } else {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
