//! `sdet-audit verify DIR`: the certifier's check of a signed bundle, in one line, and the
//! trust options `report --from` shares with it.

use std::path::PathBuf;

use clap::{ArgGroup, Args};

use super::{LangArg, TrustArgs};
use crate::bundle::{self, AllowedSigners, Trust};
use crate::error::Error;
use crate::text::Lang;

/// `verify` arguments.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("trusted").required(true).args(["allowed_signers", "pubkey"])))]
pub struct VerifyArgs {
    /// The evidence bundle folder.
    pub dir: PathBuf,
    /// Whom to trust (one is required: a signature by just anyone proves nothing).
    #[command(flatten)]
    pub trust: TrustArgs,
    /// Language of the verdict line.
    #[arg(long, value_enum, default_value_t = LangArg::Fr)]
    pub lang: LangArg,
}

/// Verifies the bundle and prints who signed what and when; a refusal is an error (exit 2).
pub fn run(args: &VerifyArgs) -> Result<u8, Error> {
    let lang: Lang = args.lang.into();
    let trust = trust(&args.trust)?.unwrap_or(Trust::Unchecked);
    let verified = bundle::verify::verify(&args.dir, &trust).map_err(|e| refused(&e, lang))?;
    super::print(&(verified.summary(&args.dir, lang) + "\n"))?;
    Ok(crate::exit::CONFORME)
}

/// The trust the options name, if any.
pub fn trust(args: &TrustArgs) -> Result<Option<Trust>, Error> {
    if let Some(path) = &args.allowed_signers {
        let list = AllowedSigners::load(path)?;
        return Ok(Some(Trust::AllowedSigners(list)));
    }
    if let Some(path) = &args.pubkey {
        return Ok(Some(Trust::public_key(path)?));
    }
    Ok(None)
}

/// A refusal, worded in `lang`.
pub fn refused(error: &bundle::VerifyError, lang: Lang) -> Error {
    Error::Refused(error.message(lang))
}
