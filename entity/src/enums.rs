//! The enumerations stored in entity columns.

use sea_orm::entity::prelude::*;

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $value:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, DeriveActiveEnum)]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
        pub enum $name {
            $(#[sea_orm(string_value = $value)] $variant,)+
        }

        impl $name {
            /// The stored (and GraphQL) spelling.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $value,)+ }
            }

            /// Parses the stored spelling.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($value => Some(Self::$variant),)+ _ => None }
            }
        }

        /// As the stored spelling (the full backup's rows).
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::parse(&s).ok_or_else(|| {
                    serde::de::Error::custom(format!("unknown {} `{s}`", stringify!($name)))
                })
            }
        }
    };
}

string_enum!(
    /// Who submitted an entry.
    StakeholderType {
        Government = "GOVERNMENT",
        PrivateSector = "PRIVATE_SECTOR",
        CivilSociety = "CIVIL_SOCIETY",
        Academia = "ACADEMIA",
        InternationalOrganisation = "INTERNATIONAL_ORGANISATION",
        Other = "OTHER",
    }
);

string_enum!(
    /// Where an activity stands.
    EntryStatus { Planned = "PLANNED", Ongoing = "ONGOING", Completed = "COMPLETED" }
);

string_enum!(
    /// The geographic reach of an activity.
    Coverage {
        Local = "LOCAL",
        National = "NATIONAL",
        Regional = "REGIONAL",
        International = "INTERNATIONAL",
    }
);

string_enum!(
    /// What kind of activity an entry describes.
    ActivityType {
        Project = "PROJECT",
        Programme = "PROGRAMME",
        Training = "TRAINING",
        Conference = "CONFERENCE",
        Publication = "PUBLICATION",
        Website = "WEBSITE",
        Toolkit = "TOOLKIT",
        Other = "OTHER",
    }
);

string_enum!(
    /// Where an entry is in moderation.
    Moderation {
        Draft = "DRAFT",
        Submitted = "SUBMITTED",
        Published = "PUBLISHED",
        Rejected = "REJECTED",
        Withdrawn = "WITHDRAWN",
    }
);

string_enum!(
    /// A WSIS Prize outcome, from lowest to highest.
    PrizeResult { Nominee = "NOMINEE", Champion = "CHAMPION", Winner = "WINNER" }
);

string_enum!(
    /// What happened to an entry, in the change log.
    ChangeKind {
        Created = "CREATED",
        Updated = "UPDATED",
        Published = "PUBLISHED",
        Removed = "REMOVED",
    }
);

string_enum!(
    /// The role an API key carries.
    Role {
        Admin = "ADMIN",
        Partner = "PARTNER",
        Commission = "COMMISSION",
        Integration = "INTEGRATION",
    }
);
