-- pqls: Neovim client for the Power Query M connector language server.
--
--   require("pqls").setup({
--     cmd = { "pqls", "serve", "--stdio" },
--     settings = { rules = { PQC030 = "off" }, settings = { reviewMode = true } },
--     on_attach = function(client, bufnr) end,
--   })
--
-- Works on Neovim 0.7 (vim.lsp.start_client + vim.lsp.buf_attach_client)
-- and on later releases (vim.lsp.start).

local detect = require("pqls.detect")

local M = {}

local defaults = {
  -- Client name; also the name used to find running clients.
  name = "pqls",
  -- Command that starts the server (stdio).
  cmd = { "pqls", "serve", "--stdio" },
  -- Environment for the server process.
  cmd_env = nil,
  -- Filetypes that start the server.
  filetypes = { "powerquery" },
  -- Same shape as a pqls.json file: { rules = {...}, settings = {...} }.
  -- Sent as initializationOptions and answered for the "pqls" section of
  -- workspace/configuration.
  settings = {},
  -- initializationOptions; defaults to `settings`.
  init_options = nil,
  -- function(fname) -> root directory; defaults to detect.root_dir.
  root_dir = nil,
  -- .m files: "auto" (connector projects only), true (all) or false (none).
  dot_m = "auto",
  -- Passed to the LSP client as they are.
  on_attach = nil,
  on_init = nil,
  on_exit = nil,
  capabilities = nil,
  handlers = nil,
  flags = nil,
  trace = nil,
  -- If set, calls vim.lsp.set_log_level() ("debug", "info", ...).
  log_level = nil,
  -- Start the server when a matching buffer is opened.
  autostart = true,
}

M.config = vim.deepcopy(defaults)

-- Neovim 0.7 only: client id per root directory.
local clients_by_root = {}

local function is_empty(t)
  return type(t) == "table" and next(t) == nil
end

--- Copy of `t` (a pqls.json-shaped table) in which `rules` and `settings`
--- are always present and are JSON objects even when empty (Neovim encodes
--- an empty Lua table as `[]`).
local function as_json_object(t)
  local out = vim.deepcopy(t or {})
  for _, key in ipairs({ "rules", "settings" }) do
    if out[key] == nil or is_empty(out[key]) then
      out[key] = vim.empty_dict()
    end
  end
  return out
end

--- Value for one workspace/configuration item, or vim.NIL.
function M.configuration_for(section, settings)
  local value = as_json_object(settings)
  if section == nil or section == "" then
    return { pqls = value }
  end
  local parts = vim.split(section, ".", { plain = true })
  if parts[1] ~= "pqls" then
    return vim.NIL
  end
  local cur = value
  for i = 2, #parts do
    if type(cur) ~= "table" or cur[parts[i]] == nil then
      return vim.NIL
    end
    cur = cur[parts[i]]
  end
  return cur
end

local function configuration_handler(_, result, _, _)
  local items = (result and result.items) or {}
  local out = {}
  for i, item in ipairs(items) do
    out[i] = M.configuration_for(item.section, M.config.settings)
  end
  return out
end

--- The client configuration for a root directory.
function M.client_config(root)
  local cfg = M.config
  local handlers = { ["workspace/configuration"] = configuration_handler }
  for k, v in pairs(cfg.handlers or {}) do
    handlers[k] = v
  end
  return {
    name = cfg.name,
    cmd = cfg.cmd,
    cmd_env = cfg.cmd_env,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
    init_options = as_json_object(cfg.init_options or cfg.settings),
    settings = { pqls = as_json_object(cfg.settings) },
    capabilities = cfg.capabilities or vim.lsp.protocol.make_client_capabilities(),
    handlers = handlers,
    on_attach = cfg.on_attach,
    on_init = function(client, result)
      if not vim.lsp.start then
        -- 0.7 does not push `settings` by itself; later releases do.
        client.notify("workspace/didChangeConfiguration", { settings = client.config.settings })
      end
      if cfg.on_init then
        return cfg.on_init(client, result)
      end
    end,
    on_exit = cfg.on_exit,
    flags = cfg.flags,
    trace = cfg.trace,
  }
end

local function client_alive(id)
  local client = id and vim.lsp.get_client_by_id(id)
  if not client then
    return false
  end
  -- 0.7 keeps the client object for a moment after it stopped. Later
  -- releases turned is_stopped into a method (client:is_stopped()); there a
  -- client that get_client_by_id still returns counts as alive.
  if not vim.lsp.start and type(client.is_stopped) == "function" then
    return not client.is_stopped()
  end
  return true
end

--- Starts (or reuses) the client for this buffer's project and attaches it.
function M.attach(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  if not vim.api.nvim_buf_is_valid(bufnr) then
    return nil
  end
  local fname = vim.api.nvim_buf_get_name(bufnr)
  local root
  if fname == "" then
    root = vim.fn.getcwd()
  else
    fname = vim.fn.fnamemodify(fname, ":p")
    root = (M.config.root_dir or detect.root_dir)(fname) or detect.dirname(fname)
  end
  local config = M.client_config(root)

  if vim.lsp.start then
    -- 0.8+: reuses a client with the same name and root_dir. 0.8 attaches to
    -- the current buffer, so make this buffer current while starting.
    local id
    vim.api.nvim_buf_call(bufnr, function()
      id = vim.lsp.start(config, { bufnr = bufnr })
    end)
    return id
  end

  -- 0.7
  local id = clients_by_root[root]
  if not client_alive(id) then
    id = vim.lsp.start_client(config)
    clients_by_root[root] = id
  end
  if not id then
    local msg = "pqls: could not start " .. tostring(config.cmd[1])
    vim.schedule(function()
      vim.notify(msg, vim.log.levels.ERROR)
    end)
    return nil
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- Running pqls clients.
function M.clients()
  local all
  if vim.lsp.get_clients then
    all = vim.lsp.get_clients({ name = M.config.name })
  else
    all = vim.lsp.get_active_clients()
  end
  local out = {}
  for _, c in ipairs(all) do
    if c.name == M.config.name then
      out[#out + 1] = c
    end
  end
  return out
end

local function matches_filetype(bufnr)
  local ft = vim.bo[bufnr].filetype
  for _, f in ipairs(M.config.filetypes) do
    if f == ft then
      return true
    end
  end
  return false
end

local function set_powerquery_if_unset(bufnr)
  if vim.bo[bufnr].filetype == "" then
    vim.api.nvim_buf_call(bufnr, function()
      vim.cmd("setfiletype powerquery")
    end)
  end
end

--- Stops every pqls client and starts them again for the open buffers.
function M.restart()
  local ids = {}
  for _, c in ipairs(M.clients()) do
    ids[#ids + 1] = c.id
    vim.lsp.stop_client(c.id)
  end
  vim.wait(5000, function()
    for _, id in ipairs(ids) do
      if client_alive(id) then
        return false
      end
    end
    return true
  end, 50)
  clients_by_root = {}
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) and matches_filetype(b) then
      M.attach(b)
    end
  end
end

local function rule_codes_at_cursor()
  local bufnr = vim.api.nvim_get_current_buf()
  local cursor = vim.api.nvim_win_get_cursor(0)
  local lnum, col = cursor[1] - 1, cursor[2]
  local on_line, under = {}, {}
  for _, d in ipairs(vim.diagnostic.get(bufnr, { lnum = lnum })) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    if d.source == "pqls" and type(code) == "string" then
      local end_col = (d.end_lnum and d.end_lnum > lnum) and math.huge or (d.end_col or d.col)
      if col >= d.col and col <= end_col then
        under[#under + 1] = code
      end
      on_line[#on_line + 1] = code
    end
  end
  return (#under > 0) and under or on_line
end

--- Shows `pqls explain <code>` in a scratch buffer. Without a code, the
--- rule of the pqls diagnostic under the cursor is explained.
function M.explain(code)
  if code == nil or code == "" then
    code = rule_codes_at_cursor()[1]
  end
  if not code then
    vim.notify("pqls: no pqls diagnostic under the cursor; use :PqlsExplain PQC030", vim.log.levels.WARN)
    return
  end
  code = code:upper()
  local bin = M.config.cmd[1]
  local out = vim.fn.systemlist({ bin, "explain", code })
  if vim.v.shell_error ~= 0 then
    vim.notify("pqls explain " .. code .. " failed:\n" .. table.concat(out, "\n"), vim.log.levels.ERROR)
    return
  end
  vim.cmd("botright new")
  local buf = vim.api.nvim_get_current_buf()
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, out)
  vim.bo[buf].buftype = "nofile"
  vim.bo[buf].bufhidden = "wipe"
  vim.bo[buf].swapfile = false
  vim.bo[buf].modifiable = false
  vim.bo[buf].filetype = "markdown"
  pcall(vim.api.nvim_buf_set_name, buf, "pqls://explain/" .. code)
end

--- Configures pqls. Safe to call more than once; the last call wins.
function M.setup(opts)
  M.config = vim.tbl_deep_extend("force", vim.deepcopy(defaults), opts or {})
  -- Lists are replaced, not merged, by tbl_deep_extend only if given.
  if opts and opts.cmd then
    M.config.cmd = opts.cmd
  end
  if opts and opts.filetypes then
    M.config.filetypes = opts.filetypes
  end
  if M.config.log_level then
    vim.lsp.set_log_level(M.config.log_level)
  end
  if M.config.dot_m == "auto" then
    vim.g.pqls_dot_m = nil
  else
    vim.g.pqls_dot_m = M.config.dot_m and true or false
  end

  if vim.filetype and vim.filetype.add then
    -- Used by 0.8+ (and by 0.7 with g:do_filetype_lua); ftdetect and the
    -- autocommands below cover the rest.
    vim.filetype.add({ extension = { pq = "powerquery", pqm = "powerquery" } })
  end

  local group = vim.api.nvim_create_augroup("pqls", { clear = true })
  vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
    group = group,
    pattern = { "*.pq", "*.pqm" },
    callback = function(args)
      set_powerquery_if_unset(args.buf)
    end,
  })
  vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
    group = group,
    pattern = "*.m",
    callback = function(args)
      detect.dot_m(args.buf)
    end,
  })
  if M.config.autostart then
    vim.api.nvim_create_autocmd("FileType", {
      group = group,
      pattern = M.config.filetypes,
      callback = function(args)
        M.attach(args.buf)
      end,
    })
  end

  vim.api.nvim_create_user_command("PqlsRestart", function()
    M.restart()
  end, { desc = "Restart the pqls language server" })
  vim.api.nvim_create_user_command("PqlsExplain", function(c)
    M.explain(c.args)
  end, { nargs = "?", desc = "Explain a pqls rule (default: the diagnostic under the cursor)" })

  -- Buffers opened before setup() ran.
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) then
      if M.config.autostart and matches_filetype(b) then
        M.attach(b)
      else
        -- Setting the filetype fires FileType, which attaches.
        local name = vim.api.nvim_buf_get_name(b):lower()
        if name:match("%.pqm?$") then
          set_powerquery_if_unset(b)
        elseif name:match("%.m$") then
          detect.dot_m(b)
        end
      end
    end
  end
end

return M
