//! Zed extension glue for pqls: finds the binary and passes the
//! user's `lsp.pqls` settings through.

use zed_extension_api::{self as zed, settings::LspSettings, LanguageServerId, Result};

struct Pqls;

impl zed::Extension for Pqls {
    fn new() -> Self {
        Pqls
    }

    fn language_server_command(
        &mut self,
        _id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = LspSettings::for_worktree("pqls", worktree)
            .ok()
            .and_then(|s| s.binary);
        let path = binary
            .as_ref()
            .and_then(|b| b.path.clone())
            .or_else(|| worktree.which("pqls"))
            .ok_or_else(|| "pqls was not found on PATH; set lsp.pqls.binary.path".to_string())?;
        let args = binary
            .and_then(|b| b.arguments)
            .unwrap_or_else(|| vec!["serve".into(), "--stdio".into()]);
        Ok(zed::Command {
            command: path,
            args,
            env: Default::default(),
        })
    }

    fn language_server_initialization_options(
        &mut self,
        _id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(LspSettings::for_worktree("pqls", worktree)
            .ok()
            .and_then(|s| s.initialization_options))
    }

    fn language_server_workspace_configuration(
        &mut self,
        _id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(LspSettings::for_worktree("pqls", worktree)
            .ok()
            .and_then(|s| s.settings))
    }
}

zed::register_extension!(Pqls);
