//! The reference data, as shipped: Action Lines and categories, region schemes, the WSIS–SDG
//! matrix and the special repositories are written here; SDGs, SDG targets and countries come
//! from the checked CSV files in `migration/data/` (see its README for sources and licences).

use serde::Deserialize;

/// One of the 18 categories: the 11 Action Lines and C7's eight sub-lines.
pub struct ActionLineDef {
    pub code: &'static str,
    pub parent: Option<&'static str>,
    pub name: &'static str,
    pub short_name: &'static str,
    /// UN facilitators, `; `-separated.
    pub facilitators: &'static str,
}

const fn al(
    code: &'static str,
    parent: Option<&'static str>,
    name: &'static str,
    short_name: &'static str,
    facilitators: &'static str,
) -> ActionLineDef {
    ActionLineDef {
        code,
        parent,
        name,
        short_name,
        facilitators,
    }
}

/// Action Lines C1–C11 with C7's sub-lines after C7, in catalogue order.
pub const ACTION_LINES: &[ActionLineDef] = &[
    al(
        "C1",
        None,
        "The role of public governance authorities and all stakeholders in the promotion of ICTs for development",
        "Role of governments and all stakeholders",
        "UNDESA",
    ),
    al(
        "C2",
        None,
        "Information and communication infrastructure",
        "Infrastructure",
        "ITU",
    ),
    al(
        "C3",
        None,
        "Access to information and knowledge",
        "Access to information",
        "UNESCO",
    ),
    al("C4", None, "Capacity building", "Capacity building", "ITU"),
    al(
        "C5",
        None,
        "Building confidence and security in the use of ICTs",
        "Confidence and security",
        "ITU",
    ),
    al("C6", None, "Enabling environment", "Enabling environment", "ITU"),
    al(
        "C7",
        None,
        "ICT applications: benefits in all aspects of life",
        "ICT applications",
        "ITU; UNDESA; UNCTAD; UNESCO; WHO; ILO; WMO; UNEP; FAO",
    ),
    al(
        "C7_E_GOVERNMENT",
        Some("C7"),
        "ICT applications: E-government",
        "E-government",
        "UNDESA",
    ),
    al(
        "C7_E_BUSINESS",
        Some("C7"),
        "ICT applications: E-business",
        "E-business",
        "UNCTAD; ITC; UPU",
    ),
    al(
        "C7_E_LEARNING",
        Some("C7"),
        "ICT applications: E-learning",
        "E-learning",
        "UNESCO",
    ),
    al(
        "C7_E_HEALTH",
        Some("C7"),
        "ICT applications: E-health",
        "E-health",
        "WHO",
    ),
    al(
        "C7_E_EMPLOYMENT",
        Some("C7"),
        "ICT applications: E-employment",
        "E-employment",
        "ILO",
    ),
    al(
        "C7_E_ENVIRONMENT",
        Some("C7"),
        "ICT applications: E-environment",
        "E-environment",
        "ITU; WMO; UNEP",
    ),
    al(
        "C7_E_AGRICULTURE",
        Some("C7"),
        "ICT applications: E-agriculture",
        "E-agriculture",
        "FAO",
    ),
    al(
        "C7_E_SCIENCE",
        Some("C7"),
        "ICT applications: E-science",
        "E-science",
        "UNESCO",
    ),
    al(
        "C8",
        None,
        "Cultural diversity and identity, linguistic diversity and local content",
        "Cultural and linguistic diversity",
        "UNESCO",
    ),
    al("C9", None, "Media", "Media", "UNESCO"),
    al(
        "C10",
        None,
        "Ethical dimensions of the Information Society",
        "Ethical dimensions",
        "UNESCO",
    ),
    al(
        "C11",
        None,
        "International and regional cooperation",
        "International cooperation",
        "UNDESA",
    ),
];

/// `(code, scheme, name)` for the three region schemes, in catalogue order.
pub const REGIONS: &[(&str, &str, &str)] = &[
    ("AFRICA", "ITU_D", "Africa"),
    ("AMERICAS", "ITU_D", "Americas"),
    ("ARAB_STATES", "ITU_D", "Arab States"),
    ("ASIA_PACIFIC", "ITU_D", "Asia and the Pacific"),
    ("CIS", "ITU_D", "Commonwealth of Independent States"),
    ("EUROPE", "ITU_D", "Europe"),
    ("ECA", "UN_REGIONAL_COMMISSION", "Economic Commission for Africa"),
    ("ECE", "UN_REGIONAL_COMMISSION", "Economic Commission for Europe"),
    (
        "ECLAC",
        "UN_REGIONAL_COMMISSION",
        "Economic Commission for Latin America and the Caribbean",
    ),
    (
        "ESCAP",
        "UN_REGIONAL_COMMISSION",
        "Economic and Social Commission for Asia and the Pacific",
    ),
    (
        "ESCWA",
        "UN_REGIONAL_COMMISSION",
        "Economic and Social Commission for Western Asia",
    ),
    ("REGION_A", "ITU_ADMINISTRATIVE", "Region A: The Americas"),
    ("REGION_B", "ITU_ADMINISTRATIVE", "Region B: Western Europe"),
    (
        "REGION_C",
        "ITU_ADMINISTRATIVE",
        "Region C: Eastern Europe and Northern Asia",
    ),
    ("REGION_D", "ITU_ADMINISTRATIVE", "Region D: Africa"),
    ("REGION_E", "ITU_ADMINISTRATIVE", "Region E: Asia and Australasia"),
];

/// Where the WSIS–SDG matrix links come from. Not the official grid (published only as a PDF).
pub const MATRIX_SOURCE: &str =
    "unofficial: union of a third-party app's two data files; not yet checked against the official WSIS-SDG Matrix";

/// Goal-level WSIS–SDG matrix links, per category.
pub const MATRIX: &[(&str, &[i32])] = &[
    ("C1", &[1, 3, 5, 10, 16, 17]),
    ("C2", &[1, 8, 9, 11]),
    ("C3", &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]),
    ("C4", &[1, 2, 3, 4, 5, 6, 8, 12, 13, 14, 16, 17]),
    ("C5", &[1, 4, 5, 7, 8, 9, 11, 16, 17]),
    ("C6", &[2, 4, 5, 8, 9, 10, 11, 16, 17]),
    ("C7_E_GOVERNMENT", &[9, 16, 17]),
    ("C7_E_BUSINESS", &[1, 2, 5, 8, 9, 17]),
    ("C7_E_LEARNING", &[4]),
    ("C7_E_HEALTH", &[1, 2, 3, 5, 17]),
    ("C7_E_EMPLOYMENT", &[4, 8, 10, 12, 17]),
    ("C7_E_ENVIRONMENT", &[9, 11, 13, 14, 15]),
    ("C7_E_AGRICULTURE", &[1, 2, 3, 4, 5, 8, 9, 12, 13, 17]),
    ("C7_E_SCIENCE", &[1, 4, 6, 7, 13, 14, 15, 17]),
    ("C8", &[2, 4, 5, 6, 8, 9, 11, 12]),
    ("C9", &[5, 9, 12, 16]),
    ("C10", &[1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 16, 17]),
    ("C11", &[17]),
];

/// `(slug, name, description)` of the special repositories.
pub const REPOSITORIES: &[(&str, &str, &str)] = &[
    (
        "covid-19",
        "COVID-19 ICT Case Repository",
        "ICT initiatives that helped communities respond to and recover from the COVID-19 pandemic (2020-2021).",
    ),
    (
        "ungis",
        "UNGIS Digital Transformation Repository",
        "Digital transformation projects of the UN Group on the Information Society member agencies.",
    ),
];

#[derive(Debug, Deserialize)]
pub struct SdgRow {
    pub number: i32,
    pub short_title: String,
    pub title: String,
    pub color: String,
}

#[derive(Debug, Deserialize)]
pub struct SdgTargetRow {
    pub goal: i32,
    pub code: String,
    pub title: String,
}

#[derive(Debug, Deserialize)]
pub struct CountryRow {
    pub alpha2: String,
    pub alpha3: String,
    pub m49: String,
    pub name: String,
    pub itu_d_region: String,
    /// `;`-separated commission codes, possibly empty.
    pub un_regional_commissions: String,
    /// `A`…`E`.
    pub itu_admin_region: String,
    pub un_status: String,
}

fn parse<T: serde::de::DeserializeOwned>(text: &str) -> Result<Vec<T>, csv::Error> {
    csv::Reader::from_reader(text.as_bytes()).deserialize().collect()
}

pub fn sdgs() -> Result<Vec<SdgRow>, csv::Error> {
    parse(include_str!("../data/sdgs.csv"))
}

pub fn sdg_targets() -> Result<Vec<SdgTargetRow>, csv::Error> {
    parse(include_str!("../data/sdg_targets.csv"))
}

pub fn countries() -> Result<Vec<CountryRow>, csv::Error> {
    parse(include_str!("../data/countries.csv"))
}

/// Where the Global Digital Compact's objectives come from.
pub const GDC_SOURCE: &str = "Global Digital Compact, annex I to the Pact for the Future, UN General Assembly resolution A/RES/79/1 (22 September 2024), paragraph 7";

/// `(code, objective)`: the Global Digital Compact's five objectives, in its order (codes ours).
pub const GDC_OBJECTIVES: &[(&str, &str)] = &[
    (
        "GDC1",
        "Close all digital divides and accelerate progress across the Sustainable Development Goals",
    ),
    (
        "GDC2",
        "Expand inclusion in and benefits from the digital economy for all",
    ),
    (
        "GDC3",
        "Foster an inclusive, open, safe and secure digital space that respects, protects and promotes human rights",
    ),
    (
        "GDC4",
        "Advance responsible, equitable and interoperable data governance approaches",
    ),
    (
        "GDC5",
        "Enhance international governance of artificial intelligence for the benefit of humanity",
    ),
];
