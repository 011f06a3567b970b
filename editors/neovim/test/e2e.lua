-- Headless end-to-end test of the pqls Neovim plugin against a real server.
--
--   PQLS_BIN=/path/to/pqls nvim --headless -u editors/neovim/test/e2e.lua -- file.pq
--
-- Loads the plugin from this checkout, opens the file, waits for pqls
-- diagnostics and prints each as
--
--   diag <lnum> <col> <code> <message>        (0-based line and byte column)
--
-- then asks for hover and definition on the first use of Contoso.Contents
-- and prints
--
--   hover <first line of the contents>
--   definition <lnum> <col>                   (0-based, of the target)
--
-- then asks for code actions on the first one, applies the first action's
-- edit, waits until the diagnostics with that code become fewer (normally:
-- disappear), prints "ok" and exits 0. On any failure it prints
-- "FAIL: <reason>" and exits 1. Informational lines start with "action ".
-- Works on Neovim 0.7 and later.

local TIMEOUT_MS = 10000
local WATCHDOG_MS = 60000

local function out(line)
  io.stdout:write(line, "\n")
  io.stdout:flush()
end

local finished = false

local function fail(msg)
  if finished then
    return
  end
  finished = true
  out("FAIL: " .. tostring(msg):gsub("\n", " | "))
  vim.cmd("cquit 1")
end

local function one_line(s)
  return (tostring(s or ""):gsub("%s*\n%s*", " "))
end

-- The plugin directory is the parent of this file's directory.
local script = debug.getinfo(1, "S").source:gsub("^@", "")
local plugin_dir = vim.fn.fnamemodify(script, ":p:h:h")
vim.opt.runtimepath:prepend(plugin_dir)
vim.opt.swapfile = false
vim.opt.shortmess:append("F")

local bin = os.getenv("PQLS_BIN")
if bin == nil or bin == "" then
  fail("PQLS_BIN is not set")
  return
end

-- Keep the raw LSP diagnostics: code actions need them in the server's own
-- position encoding, which vim.diagnostic has already converted.
local raw_diags = {}
local publish = "textDocument/publishDiagnostics"
local orig_publish = vim.lsp.handlers[publish]
vim.lsp.handlers[publish] = function(err, result, ctx, config)
  if result and result.uri then
    raw_diags[result.uri] = result.diagnostics or {}
  end
  return orig_publish(err, result, ctx, config)
end

local ok_setup, setup_err = pcall(function()
  require("pqls").setup({ cmd = { bin, "serve", "--stdio" } })
end)
if not ok_setup then
  fail("setup: " .. tostring(setup_err))
  return
end

local function code_of(d)
  local code = d.code
  if code == nil and d.user_data and d.user_data.lsp then
    code = d.user_data.lsp.code
  end
  return code
end

local function pqls_diags(buf)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == "pqls" then
      list[#list + 1] = d
    end
  end
  table.sort(list, function(a, b)
    if a.lnum ~= b.lnum then
      return a.lnum < b.lnum
    end
    if a.col ~= b.col then
      return a.col < b.col
    end
    return tostring(code_of(a)) < tostring(code_of(b))
  end)
  return list
end

local function count_code(buf, code)
  local n = 0
  for _, d in ipairs(pqls_diags(buf)) do
    if code_of(d) == code then
      n = n + 1
    end
  end
  return n
end

local function pqls_clients(buf)
  local all
  if vim.lsp.get_clients then
    all = vim.lsp.get_clients({ bufnr = buf })
  elseif vim.lsp.buf_get_clients then
    all = vim.tbl_values(vim.lsp.buf_get_clients(buf))
  else
    all = vim.lsp.get_active_clients()
  end
  local list = {}
  for _, c in ipairs(all) do
    if c.name == "pqls" then
      list[#list + 1] = c
    end
  end
  return list
end

-- The LSP diagnostic behind a vim.diagnostic entry.
local function lsp_diagnostic(uri, d)
  local code = code_of(d)
  for _, r in ipairs(raw_diags[uri] or {}) do
    if r.code == code and r.range.start.line == d.lnum and r.message == d.message then
      return r
    end
  end
  for _, r in ipairs(raw_diags[uri] or {}) do
    if r.code == code then
      return r
    end
  end
  local lsp = d.user_data and d.user_data.lsp
  if lsp and lsp.range then
    return lsp
  end
  return {
    range = {
      start = { line = d.lnum, character = d.col },
      ["end"] = { line = d.end_lnum or d.lnum, character = d.end_col or d.col },
    },
    severity = d.severity,
    code = code,
    source = d.source,
    message = d.message,
  }
end

local function is_command(a)
  return type(a.command) == "string"
end

local function mentions(action, code)
  for _, d in ipairs(action.diagnostics or {}) do
    if d.code == code then
      return true
    end
  end
  return false
end

local function run()
  local buf = vim.api.nvim_get_current_buf()
  local fname = vim.api.nvim_buf_get_name(buf)
  if fname == "" then
    fail("no file given (use: nvim --headless -u e2e.lua -- file.pq)")
    return
  end
  if vim.fn.filereadable(fname) ~= 1 then
    fail("cannot read " .. fname)
    return
  end
  if vim.bo[buf].filetype ~= "powerquery" then
    fail("filetype of " .. fname .. " is '" .. vim.bo[buf].filetype .. "', want powerquery")
    return
  end
  local uri = vim.uri_from_bufnr(buf)

  if not vim.wait(TIMEOUT_MS, function()
    return #pqls_clients(buf) > 0
  end, 20) then
    fail("no pqls client attached to the buffer (is PQLS_BIN runnable?)")
    return
  end

  if not vim.wait(TIMEOUT_MS, function()
    return #pqls_diags(buf) > 0
  end, 20) then
    fail("no pqls diagnostics within " .. TIMEOUT_MS .. " ms")
    return
  end

  local diags = pqls_diags(buf)
  for _, d in ipairs(diags) do
    out(string.format("diag %d %d %s %s", d.lnum, d.col, tostring(code_of(d)), one_line(d.message)))
  end

  -- Hover and go to definition on the data source function's name.
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local name_line, name_col
  for i, l in ipairs(lines) do
    local c = l:find("Contoso.Contents", 1, true)
    if c then
      name_line, name_col = i - 1, c -- one byte into the name
      break
    end
  end
  if not name_line then
    fail("no Contoso.Contents in the file")
    return
  end
  local pos = { textDocument = { uri = uri }, position = { line = name_line, character = name_col } }
  local function request(method)
    local responses, rerr = vim.lsp.buf_request_sync(buf, method, pos, TIMEOUT_MS)
    if not responses then
      fail(method .. ": " .. tostring(rerr))
      return nil
    end
    for _, resp in pairs(responses) do
      local e = resp.error or resp.err
      if e then
        fail(method .. " error: " .. one_line(e.message or vim.inspect(e)))
        return nil
      end
      if resp.result then
        return resp.result
      end
    end
    fail(method .. ": no result")
    return nil
  end
  local hover = request("textDocument/hover")
  if not hover then
    return
  end
  local contents = type(hover.contents) == "table" and (hover.contents.value or hover.contents[1]) or hover.contents
  out("hover " .. one_line(contents))
  local def = request("textDocument/definition")
  if not def then
    return
  end
  local loc = def[1] or def
  local range = loc.range or loc.targetSelectionRange
  out(string.format("definition %d %d", range.start.line, range.start.character))

  local first = diags[1]
  local code = code_of(first)
  local before = count_code(buf, code)
  local ldiag = lsp_diagnostic(uri, first)
  local params = {
    textDocument = { uri = uri },
    range = ldiag.range,
    context = { diagnostics = { ldiag } },
  }
  local responses, err = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", params, TIMEOUT_MS)
  if not responses then
    fail("codeAction: " .. tostring(err))
    return
  end

  local action, client_id
  for id, resp in pairs(responses) do
    -- 0.7-0.10 name the field "error", later releases "err".
    local rerr = resp.error or resp.err
    if rerr then
      fail("codeAction error: " .. one_line(rerr.message or vim.inspect(rerr)))
      return
    end
    local candidates = {}
    for _, a in ipairs(resp.result or {}) do
      if not is_command(a) then
        candidates[#candidates + 1] = a
      end
    end
    for _, a in ipairs(candidates) do
      if mentions(a, code) then
        action, client_id = a, id
        break
      end
    end
    if not action and candidates[1] then
      action, client_id = candidates[1], id
    end
    if action then
      break
    end
  end
  if not action then
    fail("no code action for " .. tostring(code) .. " at line " .. first.lnum)
    return
  end
  out("action " .. one_line(action.title))

  local client = vim.lsp.get_client_by_id(client_id)
  if not action.edit then
    local resolved, rerr = vim.lsp.buf_request_sync(buf, "codeAction/resolve", action, TIMEOUT_MS)
    local r = resolved and resolved[client_id]
    local e = r and (r.error or r.err)
    if not r or e or not r.result then
      fail("codeAction/resolve failed: " .. one_line(rerr or (e and e.message) or "no result"))
      return
    end
    action = r.result
  end
  if not action.edit then
    fail("code action '" .. one_line(action.title) .. "' has no edit")
    return
  end

  -- 0.7 accepts (edit, offset_encoding) but only warns without the second
  -- argument; later releases require it. Passing both suits every version.
  local encoding = (client and client.offset_encoding) or "utf-16"
  local applied, apply_err = pcall(vim.lsp.util.apply_workspace_edit, action.edit, encoding)
  if not applied then
    fail("apply_workspace_edit: " .. tostring(apply_err))
    return
  end

  if not vim.wait(TIMEOUT_MS, function()
    return count_code(buf, code) < before
  end, 20) then
    fail(string.format("%s still reported %d time(s) after the fix", tostring(code), count_code(buf, code)))
    return
  end

  out("ok")
  finished = true
  for _, c in ipairs(pqls_clients(buf)) do
    vim.lsp.stop_client(c.id)
  end
  vim.wait(2000, function()
    return #pqls_clients(buf) == 0
  end, 20)
  vim.cmd("qa!")
end

vim.defer_fn(function()
  fail("watchdog: test did not finish within " .. WATCHDOG_MS .. " ms")
end, WATCHDOG_MS)

vim.api.nvim_create_autocmd("VimEnter", {
  once = true,
  callback = function()
    local ok, err = xpcall(run, debug.traceback)
    if not ok then
      fail(err)
    end
  end,
})
