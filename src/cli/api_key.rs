//! `stocktaking api-key create|list|revoke`.

use crate::catalog::Catalog;
use crate::cli::args::{ApiKeyCommand, CreateKeyArgs, Role};
use crate::domain;
use crate::error::AppError;
use crate::ids;
use crate::store;

pub async fn run(url: &str, cmd: ApiKeyCommand) -> anyhow::Result<()> {
    let db = super::connect(url).await?;
    match cmd {
        ApiKeyCommand::Create(args) => {
            let catalog = crate::store::catalog::load(&db).await?;
            let new = new_key(&db, &catalog, args).await?;
            let (row, key) = domain::keys::create(&db, new)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "created API key {} ({}); it is shown only this once:",
                row.id,
                describe_key(&row)
            );
            println!("{key}");
        }
        ApiKeyCommand::List => {
            let keys = store::keys::list(&db).await?;
            println!(
                "{:>5}  {:<48}  {:<20}  {:<20}  label",
                "id", "role", "created", "revoked"
            );
            for k in keys {
                println!(
                    "{:>5}  {:<48}  {:<20}  {:<20}  {}",
                    k.id,
                    describe_key(&k),
                    k.created_at.format("%Y-%m-%d %H:%M:%S"),
                    k.revoked_at
                        .map_or("-".to_owned(), |t| t.format("%Y-%m-%d %H:%M:%S").to_string()),
                    k.label.as_deref().unwrap_or("")
                );
            }
        }
        ApiKeyCommand::Revoke { id } => match domain::keys::revoke(&db, id).await {
            Ok(true) => println!("revoked API key {id}"),
            Ok(false) => println!("API key {id} was already revoked"),
            Err(AppError::NotFound(_)) => anyhow::bail!("there is no API key {id}"),
            Err(e) => anyhow::bail!("revoking API key {id}: {e}"),
        },
    }
    Ok(())
}

fn describe_key(k: &entity::api_key::Model) -> String {
    let binding = k
        .organisation_id
        .map(|o| format!(" of organisation {}", ids::encode(ids::Kind::Organisation, o).as_str()))
        .or_else(|| k.region.as_ref().map(|r| format!(" of region {r}")))
        .or_else(|| k.source.as_ref().map(|s| format!(" of source {s}")))
        .unwrap_or_default();
    let only = if k.registered_only {
        ", registered operations only"
    } else {
        ""
    };
    format!("{}{binding}{only}", k.role.as_str().to_lowercase())
}

/// Checks `api-key create`'s flags against the role.
async fn new_key(
    db: &sea_orm::DatabaseConnection,
    catalog: &Catalog,
    args: CreateKeyArgs,
) -> anyhow::Result<store::keys::NewKey> {
    let role = args.role;
    let name = format!("{role:?}").to_lowercase();
    let wants = |flag: &str| match role {
        Role::Partner => flag == "organisation",
        Role::Commission => flag == "region",
        Role::Integration => flag == "source",
        Role::Admin => false,
    };
    for (flag, given) in [
        ("organisation", args.organisation.is_some()),
        ("region", args.region.is_some()),
        ("source", args.source.is_some()),
    ] {
        if given && !wants(flag) {
            anyhow::bail!("--{flag} does not apply to a {name} key");
        }
        if !given && wants(flag) {
            anyhow::bail!("a {name} key needs --{flag}");
        }
    }
    let organisation_id = match &args.organisation {
        Some(id) => {
            let org = ids::decode_int(id, ids::Kind::Organisation, "--organisation").map_err(|_| {
                anyhow::anyhow!("--organisation `{id}` is not an organisation id (use its GraphQL `id`)")
            })?;
            if !store::organisations::by_ids(db, &[org]).await?.contains_key(&org) {
                anyhow::bail!("--organisation: there is no organisation `{id}`");
            }
            Some(org)
        }
        None => None,
    };
    let region = match &args.region {
        Some(code) => {
            let code = code.trim().to_ascii_uppercase();
            match catalog.region(&code) {
                Some(r) if r.scheme == "ITU_D" || r.scheme == "UN_REGIONAL_COMMISSION" => Some(code),
                _ => anyhow::bail!(
                    "--region `{code}` is not an ITU-D region or UN regional commission (such as AFRICA or ECA)"
                ),
            }
        }
        None => None,
    };
    if let Some(s) = &args.source
        && (s.is_empty()
            || s.len() > 64
            || !s
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c)))
    {
        anyhow::bail!("--source `{s}` must be 1 to 64 lower case letters, digits, `-`, `_` or `.`");
    }
    Ok(store::keys::NewKey {
        role: role.into(),
        organisation_id,
        region,
        source: args.source,
        label: args.label.map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()),
        registered_only: args.registered_only,
    })
}
