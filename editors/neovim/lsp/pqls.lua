-- pqls for Neovim 0.11 and later, through the built-in LSP configuration:
--
--   vim.opt.runtimepath:append("/path/to/pqls/editors/neovim")
--   vim.lsp.enable("pqls")
--
-- Override any field with vim.lsp.config, which merges into this table:
--
--   vim.lsp.config("pqls", {
--     settings = { pqls = { rules = { PQC030 = "off" }, settings = { reviewMode = true } } },
--   })
--
-- Use this or require("pqls").setup(), not both: each starts its own client.
-- Older Neovim (0.7 to 0.10) never reads this file; setup() serves them.

---@type vim.lsp.Config
return {
  cmd = { "pqls", "serve", "--stdio" },
  filetypes = { "powerquery" },
  -- The connector project (*.proj, *.mproj, pqls.json) holding the file,
  -- else the repository, else the file's folder: the same root as setup().
  root_dir = function(bufnr, on_dir)
    local name = vim.api.nvim_buf_get_name(bufnr)
    if name == "" then
      on_dir(vim.fn.getcwd())
      return
    end
    on_dir(require("pqls.detect").root_dir(name))
  end,
  -- Same shape as a pqls.json file. Neovim answers the server's
  -- workspace/configuration requests from `settings`; empty tables must stay
  -- JSON objects.
  init_options = { rules = vim.empty_dict(), settings = vim.empty_dict() },
  settings = { pqls = { rules = vim.empty_dict(), settings = vim.empty_dict() } },
}
