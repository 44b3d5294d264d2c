//! The register's shape: how entries spread over the years, stakeholder types, regions,
//! categories, activity types, coverage and moderation states, and the weighted draw.

use chrono::{DateTime, Duration, TimeZone, Utc};
use entity::enums::{ActivityType, Coverage, Moderation, StakeholderType};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Cumulative share of all entries created by the end of each year: ≈2,550 of 12,500 by 2005
/// (≈2,400 of them published and still dated then), 4,200 by 2010, 12,000 by 2020, the rest
/// since.
pub(super) const GROWTH: &[(i32, f64)] = &[
    (2002, 0.0),
    (2003, 0.068),
    (2004, 0.136),
    (2005, 0.204),
    (2010, 0.336),
    (2020, 0.96),
    (2026, 1.0),
];

/// The last instant of the demo data.
pub(super) fn horizon() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 10, 31, 12, 0, 0)
        .single()
        .unwrap_or_default()
}

pub(super) fn cumulative(year: i32) -> f64 {
    for w in GROWTH.windows(2) {
        let ((y0, c0), (y1, c1)) = (w[0], w[1]);
        if year <= y1 {
            return c0 + (c1 - c0) * f64::from(year - y0) / f64::from(y1 - y0);
        }
    }
    1.0
}

/// When the `i`-th of `n` entries was created, following the growth curve.
pub(super) fn created_at(i: u32, n: u32, rng: &mut ChaCha8Rng) -> DateTime<Utc> {
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

pub(super) fn weighted<'t, T>(rng: &mut ChaCha8Rng, items: &'t [(T, u32)]) -> &'t T {
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

pub(super) const STAKEHOLDERS: &[(StakeholderType, u32)] = &[
    (StakeholderType::Government, 50),
    (StakeholderType::PrivateSector, 14),
    (StakeholderType::CivilSociety, 15),
    (StakeholderType::Academia, 9),
    (StakeholderType::InternationalOrganisation, 7),
    (StakeholderType::Other, 5),
];

pub(super) const REGION_WEIGHTS: &[(&str, u32)] = &[
    ("AFRICA", 24),
    ("AMERICAS", 15),
    ("ARAB_STATES", 13),
    ("ASIA_PACIFIC", 22),
    ("CIS", 7),
    ("EUROPE", 19),
];

/// Category codes with their popularity as a primary tag.
pub(super) const CATEGORY_WEIGHTS: &[(&str, u32)] = &[
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

/// The SDG a category's projects serve first (e-health SDG 3, e-agriculture SDG 2, e-learning
/// SDG 4, e-environment SDG 13…); the matrix's other goals for the category come second.
pub(super) const PRIMARY_SDGS: &[(&str, i32)] = &[
    ("C1", 17),
    ("C2", 9),
    ("C3", 16),
    ("C4", 4),
    ("C5", 16),
    ("C6", 17),
    ("C7", 9),
    ("C7_E_GOVERNMENT", 16),
    ("C7_E_BUSINESS", 8),
    ("C7_E_LEARNING", 4),
    ("C7_E_HEALTH", 3),
    ("C7_E_EMPLOYMENT", 8),
    ("C7_E_ENVIRONMENT", 13),
    ("C7_E_AGRICULTURE", 2),
    ("C7_E_SCIENCE", 9),
    ("C8", 11),
    ("C9", 16),
    ("C10", 10),
    ("C11", 17),
];

/// The Global Digital Compact objective a category's projects serve first: connectivity and
/// skills close divides (GDC1), trade and jobs widen the digital economy (GDC2), security,
/// media and culture make the digital space safe and open (GDC3), data and e-government need
/// data governance (GDC4), ethics and science face artificial intelligence (GDC5).
pub(super) const PRIMARY_GDC: &[(&str, &str)] = &[
    ("C1", "GDC1"),
    ("C2", "GDC1"),
    ("C3", "GDC4"),
    ("C4", "GDC1"),
    ("C5", "GDC3"),
    ("C6", "GDC2"),
    ("C7", "GDC1"),
    ("C7_E_GOVERNMENT", "GDC4"),
    ("C7_E_BUSINESS", "GDC2"),
    ("C7_E_LEARNING", "GDC1"),
    ("C7_E_HEALTH", "GDC1"),
    ("C7_E_EMPLOYMENT", "GDC2"),
    ("C7_E_ENVIRONMENT", "GDC1"),
    ("C7_E_AGRICULTURE", "GDC2"),
    ("C7_E_SCIENCE", "GDC5"),
    ("C8", "GDC3"),
    ("C9", "GDC3"),
    ("C10", "GDC5"),
    ("C11", "GDC1"),
];

/// Share of the entries updated since the Compact's adoption (2024) that are linked to its
/// objectives, and of older ones.
pub(super) const GDC_SHARE_SINCE_2024: f64 = 0.6;
pub(super) const GDC_SHARE_BEFORE: f64 = 0.02;

/// A category's primary SDG.
pub(super) fn primary_sdg(code: &str) -> Option<i32> {
    PRIMARY_SDGS.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

pub(super) const ACTIVITIES: &[(ActivityType, u32)] = &[
    (ActivityType::Project, 40),
    (ActivityType::Programme, 18),
    (ActivityType::Training, 12),
    (ActivityType::Conference, 6),
    (ActivityType::Publication, 6),
    (ActivityType::Website, 8),
    (ActivityType::Toolkit, 6),
    (ActivityType::Other, 4),
];

pub(super) const COVERAGES: &[(Coverage, u32)] = &[
    (Coverage::National, 52),
    (Coverage::International, 20),
    (Coverage::Regional, 15),
    (Coverage::Local, 13),
];

pub(super) const MODERATIONS: &[(Moderation, u32)] = &[
    (Moderation::Published, 960),
    (Moderation::Submitted, 15),
    (Moderation::Draft, 10),
    (Moderation::Rejected, 10),
    (Moderation::Withdrawn, 5),
];

pub(super) fn initials(name: &str) -> String {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2 || w.chars().all(|c| c.is_uppercase()))
        .filter_map(|w| w.chars().next())
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}
