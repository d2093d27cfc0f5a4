//! `negotium completions SHELL` and `negotium man`: the shell completion
//! script (clap_complete) and the man page (clap_mangen), generated from
//! the same clap definitions as the parser, so they never drift.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    pub shell: Shell,
}

#[derive(Args, Debug)]
pub struct ManArgs {
    /// The page of one command (`negotium-forecast(1)`), default the main page.
    pub command: Option<String>,
}

pub fn completions<C: CommandFactory>(a: CompletionsArgs) -> anyhow::Result<()> {
    let mut cmd = C::command();
    let mut out = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "negotium", &mut out);
    super::emit(&String::from_utf8_lossy(&out));
    Ok(())
}

pub fn man<C: CommandFactory>(a: ManArgs) -> anyhow::Result<()> {
    let root = C::command();
    let cmd = match &a.command {
        None => root,
        Some(name) => {
            let names: Vec<String> = root
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            let Some(sub) = root.find_subcommand(name).cloned() else {
                return Err(super::input_error(format!(
                    "unknown command `{name}`{}; expected one of {}",
                    negotium_suggest::did_you_mean(name, names.iter().map(String::as_str)),
                    names.join(", ")
                )));
            };
            sub.display_name(format!("negotium-{name}"))
                .bin_name(format!("negotium {name}"))
        }
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut out)?;
    super::emit(&String::from_utf8_lossy(&out));
    Ok(())
}
