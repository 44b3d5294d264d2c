//! One entry of the plan: its links, dates, contact and text, drawn from its own random
//! stream so that any range of entries can be generated on its own.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate};
use entity::enums::{Coverage, EntryStatus, StakeholderType};
use rand::Rng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand_chacha::ChaCha8Rng;

use super::generate::{Org, Plan};
use super::shape::{
    ACTIVITIES, COVERAGES, GDC_SHARE_BEFORE, GDC_SHARE_SINCE_2024, PRIMARY_GDC, REGION_WEIGHTS, horizon, primary_sdg,
    weighted,
};
use super::vocab;
use crate::store::bulk::EntryRow;
use crate::store::writes::{ContactData, EntryData};

/// How often an organisation from a country of another UN language writes in it.
const FOREIGN_SHARE: f64 = 0.5;
/// Chinese organisations' entries are in Chinese more often than not.
const CHINESE_SHARE: f64 = 0.85;
/// How often an international organisation writes in one of the other five UN languages.
const INTERNATIONAL_SHARE: f64 = 0.25;

impl Plan<'_> {
    pub(super) fn entry(&self, i: usize, rng: &mut ChaCha8Rng) -> EntryRow {
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
        // Each category's primary SDG nearly always, then up to two others of the matrix.
        let mut sdgs: BTreeSet<i32> = categories
            .iter()
            .filter_map(|code| primary_sdg(code))
            .filter(|_| rng.random_bool(0.92))
            .collect();
        for _ in 0..rng.random_range(0..=2) {
            let n = if !linked.is_empty() && rng.random_bool(0.85) {
                *linked.choose(rng).unwrap_or(&17)
            } else {
                rng.random_range(1..=17)
            };
            sdgs.insert(n);
        }
        if sdgs.is_empty() {
            sdgs.insert(categories.first().and_then(|c| primary_sdg(c)).unwrap_or(17));
        }

        let primary = categories.first().cloned().unwrap_or_default();
        let (title, description) = self.text(rng, org, &home, &primary, s.created.year());

        let created = s.created;
        // The register's first entries were rarely revised after the Tunis phase.
        let revised = if created.year() <= 2005 { 0.05 } else { 0.4 };
        let updates = if rng.random_bool(revised) {
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
        let gdc_objectives = gdc_objectives(rng, &categories, updated.year());
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
                gdc_objectives,
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
        if let Some(words) = vocab::LANGUAGES.iter().find(|l| l.tag == lang)
            && rng.random_bool(if lang == "zh" { CHINESE_SHARE } else { FOREIGN_SHARE })
        {
            return foreign(words, rng, category, year);
        }
        // International organisations publish in all six UN languages.
        if org.stakeholder == StakeholderType::InternationalOrganisation && rng.random_bool(INTERNATIONAL_SHARE) {
            let words = &vocab::LANGUAGES[rng.random_range(0..vocab::LANGUAGES.len())];
            return foreign(words, rng, category, year);
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
        let audience_title = title_case(audience);
        let title = match rng.random_range(0..8) {
            0 => format!("{subject} in {place}"),
            1 => format!("{subject} for {audience_title} in {place}"),
            2 => format!("{place}: {subject} for {audience_title}"),
            3 => format!("{subject} for {audience_title} ({year})"),
            4 => format!("{subject}, Phase {}: {place}", rng.random_range(2..=4)),
            5 => format!("{place}: {subject} {year}–{}", year + rng.random_range(1..=5)),
            6 => format!("{subject} ({place}, {year})"),
            _ => format!("{subject} in {place}, {year}"),
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

/// The Compact objectives of an entry last updated in `year`: its categories' primary
/// objectives, sometimes one more; mostly none before 2024.
fn gdc_objectives(rng: &mut ChaCha8Rng, categories: &[String], year: i32) -> Vec<String> {
    let share = if year >= 2024 {
        GDC_SHARE_SINCE_2024
    } else {
        GDC_SHARE_BEFORE
    };
    if !rng.random_bool(share) {
        return Vec::new();
    }
    let mut out: BTreeSet<String> = categories
        .iter()
        .filter_map(|c| PRIMARY_GDC.iter().find(|(code, _)| code == c))
        .map(|(_, o)| (*o).to_owned())
        .collect();
    if rng.random_bool(0.25) {
        out.insert(format!("GDC{}", rng.random_range(1..=5)));
    }
    out.into_iter().collect()
}

/// A title and description in one of the other UN languages, composed from its vocabulary.
fn foreign(words: &vocab::Language, rng: &mut ChaCha8Rng, category: &str, year: i32) -> (String, String) {
    let mut subjects: Vec<&str> = words
        .subjects
        .iter()
        .filter(|(c, _)| *c == category)
        .map(|(_, s)| *s)
        .collect();
    if subjects.is_empty() {
        subjects = words.subjects.iter().map(|(_, s)| *s).collect();
    }
    let subject = subjects.choose(rng).copied().unwrap_or_default();
    let fill = |pattern: &str, rng: &mut ChaCha8Rng| {
        pattern
            .replace("{s}", subject)
            .replace("{a}", words.audiences.choose(rng).copied().unwrap_or_default())
            .replace("{y}", &year.to_string())
            .replace("{n}", &rng.random_range(2..=4).to_string())
    };
    let title = fill(words.titles.choose(rng).copied().unwrap_or("{s}"), rng);
    let sentences = [words.openings, words.actions, words.results];
    let description = sentences
        .iter()
        .map(|options| fill(options.choose(rng).copied().unwrap_or_default(), rng))
        .collect::<Vec<_>>()
        .join(if words.tag == "zh" { "" } else { " " });
    (title, description)
}

/// "Korea, Republic of" → "Republic of Korea"; other names unchanged.
pub(super) fn short_name(name: &str) -> String {
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
