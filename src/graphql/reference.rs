//! Reference data types (Action Lines, SDGs, regions, countries, the matrix), served from the
//! in-memory catalogue: no SQL.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object};

use crate::catalog;
use crate::error::{AppError, GqlResult, GqlResultExt};
use crate::graphql::linked::Linked;
use crate::ids::{self, Kind};
use crate::store::entries::Scope;
use crate::store::facets::Facet;

/// A catalogue value that must exist (the migrations guarantee it); an internal error if not.
pub fn known<T>(value: Option<T>, what: &str) -> GqlResult<T> {
    value
        .ok_or_else(|| AppError::Internal(format!("reference data: unknown {what}")))
        .gql()
}

pub use crate::graphql::context::catalog;
pub use crate::graphql::geography::{Country, Region};

macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* #[graphql(name = $code)] $variant,)+
        }

        impl $name {
            /// The catalogue code.
            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $code,)+ }
            }

            /// The enum value of a catalogue code.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some(Self::$variant),)+ _ => None }
            }
        }
    };
}

code_enum!(
    /// One of the 18 categories: Action Lines C1–C11 and C7's eight sub-lines.
    ActionLineCode {
        C1 = "C1", C2 = "C2", C3 = "C3", C4 = "C4", C5 = "C5", C6 = "C6", C7 = "C7",
        C7EGovernment = "C7_E_GOVERNMENT", C7EBusiness = "C7_E_BUSINESS",
        C7ELearning = "C7_E_LEARNING", C7EHealth = "C7_E_HEALTH",
        C7EEmployment = "C7_E_EMPLOYMENT", C7EEnvironment = "C7_E_ENVIRONMENT",
        C7EAgriculture = "C7_E_AGRICULTURE", C7EScience = "C7_E_SCIENCE",
        C8 = "C8", C9 = "C9", C10 = "C10", C11 = "C11",
    }
);

code_enum!(
    /// A region in one of the three schemes.
    RegionCode {
        Africa = "AFRICA", Americas = "AMERICAS", ArabStates = "ARAB_STATES",
        AsiaPacific = "ASIA_PACIFIC", Cis = "CIS", Europe = "EUROPE",
        Eca = "ECA", Ece = "ECE", Eclac = "ECLAC", Escap = "ESCAP", Escwa = "ESCWA",
        RegionA = "REGION_A", RegionB = "REGION_B", RegionC = "REGION_C",
        RegionD = "REGION_D", RegionE = "REGION_E",
    }
);

code_enum!(
    /// One of the Global Digital Compact's five objectives (codes ours, in the Compact's order).
    GdcObjectiveCode {
        Gdc1 = "GDC1", Gdc2 = "GDC2", Gdc3 = "GDC3", Gdc4 = "GDC4", Gdc5 = "GDC5",
    }
);

code_enum!(
    /// The three region classifications, stored side by side.
    RegionScheme {
        /// ITU-D regions (the stocktaking's own; each country is in exactly one).
        ItuD = "ITU_D",
        /// UN Regional Commissions (a country may be in several, or none).
        UnRegionalCommission = "UN_REGIONAL_COMMISSION",
        /// ITU administrative regions A–E (each country is in exactly one).
        ItuAdministrative = "ITU_ADMINISTRATIVE",
    }
);

code_enum!(
    /// A country's standing at the United Nations.
    UnStatus {
        /// One of the 193 UN member states.
        Member = "MEMBER",
        /// A non-member observer state (Holy See, State of Palestine).
        Observer = "OBSERVER",
        /// A territory or another country outside the UN.
        None = "NONE",
    }
);

/// A WSIS Action Line or one of C7's sub-lines (together, the 18 categories).
#[derive(Clone)]
pub struct ActionLine(pub Arc<catalog::ActionLine>);

/// A WSIS Action Line or one of C7's sub-lines (together, the 18 categories).
#[Object]
impl ActionLine {
    /// Opaque global id, for `node(id:)`.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::ActionLine, &self.0.code)
    }
    /// The code, such as `C2` or `C7_E_HEALTH`.
    async fn code(&self) -> GqlResult<ActionLineCode> {
        known(ActionLineCode::from_code(&self.0.code), "action line code")
    }
    /// The official name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// A short name for tables and charts.
    async fn short_name(&self) -> &str {
        &self.0.short_name
    }
    /// The Action Line this sub-line belongs to (C7 for the e-applications); null for C1–C11.
    async fn parent(&self, ctx: &Context<'_>) -> Option<ActionLine> {
        self.0
            .parent
            .as_deref()
            .and_then(|p| catalog(ctx).action_line(p))
            .cloned()
            .map(ActionLine)
    }
    /// The sub-lines (C7's eight e-applications); empty for the others.
    async fn sub_lines(&self, ctx: &Context<'_>) -> Vec<ActionLine> {
        let cat = catalog(ctx);
        self.0
            .sub_lines
            .iter()
            .filter_map(|c| cat.action_line(c))
            .cloned()
            .map(ActionLine)
            .collect()
    }
    /// The UN agencies facilitating this Action Line.
    async fn facilitators(&self) -> &[String] {
        &self.0.facilitators
    }
    /// SDGs linked to this category by the WSIS–SDG matrix (goal level; see `wsisSdgMatrix`
    /// for the source of the links).
    async fn sdgs(&self, ctx: &Context<'_>) -> Vec<Sdg> {
        let cat = catalog(ctx);
        self.0
            .sdgs
            .iter()
            .filter_map(|&n| cat.sdg(n))
            .cloned()
            .map(Sdg)
            .collect()
    }
    /// The entries that belong here (`entries`, `entryCount`).
    #[graphql(flatten)]
    async fn linked(&self) -> Linked {
        Linked::new(
            Scope::ActionLine(
                std::iter::once(self.0.code.clone())
                    .chain(self.0.sub_lines.iter().cloned())
                    .collect(),
            ),
            Facet::ActionLine,
            self.0.code.clone(),
        )
    }
}

/// A Sustainable Development Goal.
#[derive(Clone)]
pub struct Sdg(pub Arc<catalog::Sdg>);

/// A Sustainable Development Goal.
#[Object]
impl Sdg {
    /// Opaque global id, for `node(id:)`.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Sdg, self.0.number)
    }
    /// The goal number, 1–17.
    async fn number(&self) -> i32 {
        self.0.number
    }
    /// The short title, such as "Quality Education".
    async fn title(&self) -> &str {
        &self.0.short_title
    }
    /// The goal as worded in UN resolution A/RES/70/1.
    async fn long_title(&self) -> &str {
        &self.0.title
    }
    /// The official colour, as `#RRGGBB`.
    async fn color(&self) -> &str {
        &self.0.color
    }
    /// The goal's targets (169 in all), such as "9.c".
    async fn targets(&self) -> Vec<SdgTarget> {
        self.0.targets.iter().map(|&i| SdgTarget(i)).collect()
    }
    /// Categories linked to this goal by the WSIS–SDG matrix.
    async fn action_lines(&self, ctx: &Context<'_>) -> Vec<ActionLine> {
        let cat = catalog(ctx);
        self.0
            .action_lines
            .iter()
            .filter_map(|c| cat.action_line(c))
            .cloned()
            .map(ActionLine)
            .collect()
    }
    /// The entries that belong here (`entries`, `entryCount`).
    #[graphql(flatten)]
    async fn linked(&self) -> Linked {
        Linked::new(Scope::Sdg(self.0.number), Facet::Sdg, self.0.number.to_string())
    }
}

/// One of the 169 SDG targets.
pub struct SdgTarget(usize);

/// One of the 169 SDG targets.
#[Object]
impl SdgTarget {
    /// The target's code, a string such as "9.c" or "17.10".
    async fn code<'a>(&self, ctx: &Context<'a>) -> &'a str {
        &catalog(ctx).targets[self.0].code
    }
    /// The official text of the target.
    async fn title<'a>(&self, ctx: &Context<'a>) -> &'a str {
        &catalog(ctx).targets[self.0].title
    }
    /// The goal this target belongs to.
    async fn sdg(&self, ctx: &Context<'_>) -> GqlResult<Sdg> {
        let cat = catalog(ctx);
        known(cat.sdg(cat.targets[self.0].sdg).cloned().map(Sdg), "SDG")
    }
}

/// A link of the WSIS–SDG matrix between a category and a goal.
pub struct MatrixLink(usize);

/// A link of the WSIS–SDG matrix between a category and a goal.
#[Object]
impl MatrixLink {
    /// The category (Action Line or C7 sub-line).
    async fn category(&self, ctx: &Context<'_>) -> GqlResult<ActionLine> {
        let cat = catalog(ctx);
        known(
            cat.action_line(&cat.matrix[self.0].category).cloned().map(ActionLine),
            "category",
        )
    }
    /// The goal.
    async fn sdg(&self, ctx: &Context<'_>) -> GqlResult<Sdg> {
        let cat = catalog(ctx);
        known(cat.sdg(cat.matrix[self.0].sdg).cloned().map(Sdg), "SDG")
    }
    /// Where the link comes from. The current links are unofficial (a third-party compilation)
    /// until checked against the official WSIS–SDG Matrix.
    async fn source<'a>(&self, ctx: &Context<'a>) -> &'a str {
        &catalog(ctx).matrix[self.0].source
    }
}

/// A special repository, such as the COVID-19 ICT Case Repository.
#[derive(Clone)]
pub struct Repository(pub Arc<catalog::Repository>);

/// A special repository, such as the COVID-19 ICT Case Repository.
#[Object]
impl Repository {
    /// The slug used in filters, such as "covid-19".
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    /// The repository's name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What the repository collects.
    async fn description(&self) -> &str {
        &self.0.description
    }
}

/// Queries over the reference data.
#[derive(Default)]
pub struct ReferenceQuery;

/// Queries over the reference data.
#[Object]
impl ReferenceQuery {
    /// The 11 WSIS Action Lines; C7 carries its eight sub-lines in `subLines`.
    async fn action_lines(&self, ctx: &Context<'_>) -> Vec<ActionLine> {
        catalog(ctx).top_action_lines().cloned().map(ActionLine).collect()
    }
    /// The 18 categories used by the WSIS Prizes and statistics: C1–C6, C7's eight sub-lines
    /// and C8–C11. (C7 itself is an Action Line, not a category: `actionLines` has it, with
    /// its `subLines`.)
    async fn categories(&self, ctx: &Context<'_>) -> Vec<ActionLine> {
        catalog(ctx)
            .action_lines
            .iter()
            .filter(|a| a.sub_lines.is_empty())
            .cloned()
            .map(ActionLine)
            .collect()
    }
    /// One Action Line or sub-line by code.
    async fn action_line(&self, ctx: &Context<'_>, code: ActionLineCode) -> Option<ActionLine> {
        catalog(ctx).action_line(code.code()).cloned().map(ActionLine)
    }
    /// The 17 Sustainable Development Goals.
    async fn sdgs(&self, ctx: &Context<'_>) -> Vec<Sdg> {
        catalog(ctx).sdgs.iter().cloned().map(Sdg).collect()
    }
    /// One goal by number (1–17); null for any other number.
    async fn sdg(&self, ctx: &Context<'_>, number: i32) -> Option<Sdg> {
        catalog(ctx).sdg(number).cloned().map(Sdg)
    }
    /// Regions of one scheme, or of all three when `scheme` is omitted.
    async fn regions(&self, ctx: &Context<'_>, scheme: Option<RegionScheme>) -> Vec<Region> {
        catalog(ctx)
            .regions
            .iter()
            .filter(|r| scheme.is_none_or(|s| r.scheme == s.code()))
            .cloned()
            .map(Region)
            .collect()
    }
    /// One region by code.
    async fn region(&self, ctx: &Context<'_>, code: RegionCode) -> Option<Region> {
        catalog(ctx).region(code.code()).cloned().map(Region)
    }
    /// Every country and territory (about 250), by name.
    async fn countries(&self, ctx: &Context<'_>) -> Vec<Country> {
        catalog(ctx).countries.iter().cloned().map(Country).collect()
    }
    /// One country by ISO alpha-2 or alpha-3 code, in any case ("ke", "KEN"); null if unknown.
    async fn country(&self, ctx: &Context<'_>, code: String) -> Option<Country> {
        catalog(ctx).country(&code).cloned().map(Country)
    }
    /// The WSIS–SDG matrix: which categories link to which goals (unofficial; see `source`).
    async fn wsis_sdg_matrix(&self, ctx: &Context<'_>) -> Vec<MatrixLink> {
        (0..catalog(ctx).matrix.len()).map(MatrixLink).collect()
    }
    /// The special repositories, such as the COVID-19 ICT Case Repository.
    async fn repositories(&self, ctx: &Context<'_>) -> Vec<Repository> {
        catalog(ctx).repositories.iter().cloned().map(Repository).collect()
    }
}
