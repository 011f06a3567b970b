-- Headless unit tests of the pqls Neovim plugin (no server needed).
--
--   nvim --headless -u editors/neovim/test/unit.lua
--
-- Prints "ok <name>" / "not ok <name>: <why>" per check and a closing
-- "<n> passed, <m> failed" line; exits 1 when a check failed.

local script = debug.getinfo(1, "S").source:gsub("^@", "")
local plugin_dir = vim.fn.fnamemodify(script, ":p:h:h")
vim.opt.runtimepath:prepend(plugin_dir)
vim.opt.swapfile = false
vim.opt.shortmess:append("F")

local function out(line)
  io.stdout:write(line, "\n")
  io.stdout:flush()
end

local passed, failed = 0, 0

local function check(name, fn)
  local ok, err = pcall(fn)
  if ok then
    passed = passed + 1
    out("ok " .. name)
  else
    failed = failed + 1
    out("not ok " .. name .. ": " .. tostring(err):gsub("\n", " | "))
  end
end

local function eq(got, want, what)
  if not vim.deep_equal(got, want) then
    error(string.format("%s: got %s, want %s", what or "value", vim.inspect(got), vim.inspect(want)), 2)
  end
end

-- A scratch tree:
--   conn/Conn.proj conn/Conn.pq conn/Conn.m conn/sub/deep.m
--   objc/main.m objc/main.h
--   repo/.git/ repo/pqls.json repo/a/b/file.pq repo/a/b/lib.m
--   mixed/.git/ mixed/Old.mproj mixed/src/x.m
--   mixed/src/inner/.git/ mixed/src/inner/y.m      (repo root stops the search)
--   lone/only.pq
local tmp = vim.fn.tempname()
local function touch(rel)
  local p = tmp .. "/" .. rel
  vim.fn.mkdir(vim.fn.fnamemodify(p, ":h"), "p")
  vim.fn.writefile({ "section X;" }, p)
  return p
end
local function mkdir(rel)
  vim.fn.mkdir(tmp .. "/" .. rel, "p")
  return tmp .. "/" .. rel
end

touch("conn/Conn.proj")
touch("conn/Conn.pq")
touch("conn/Conn.m")
touch("conn/sub/deep.m")
touch("objc/main.m")
touch("objc/main.h")
mkdir("repo/.git")
touch("repo/pqls.json")
touch("repo/a/b/file.pq")
touch("repo/a/b/lib.m")
mkdir("mixed/.git")
touch("mixed/Old.mproj")
touch("mixed/src/x.m")
mkdir("mixed/src/inner/.git")
touch("mixed/src/inner/y.m")
touch("lone/only.pq")

local detect = require("pqls.detect")
local pqls = require("pqls")

check("dirname", function()
  eq(detect.dirname("/a/b/c.pq"), "/a/b")
  eq(detect.dirname("/c.pq"), "/")
  eq(detect.dirname("c.pq"), ".")
end)

check("project file names", function()
  eq(detect.is_project_file("Conn.proj"), true)
  eq(detect.is_project_file("OLD.MPROJ"), true)
  eq(detect.is_project_file("pqls.json"), true)
  eq(detect.is_project_file(".proj"), false)
  eq(detect.is_project_file("App.xcodeproj"), false)
  eq(detect.is_project_file("package.json"), false)
end)

check("connector .m detection", function()
  eq(detect.is_connector_dot_m(tmp .. "/conn/Conn.m"), true, "next to .proj")
  eq(detect.is_connector_dot_m(tmp .. "/conn/sub/deep.m"), true, "project file above")
  eq(detect.is_connector_dot_m(tmp .. "/objc/main.m"), false, "objective-c")
  eq(detect.is_connector_dot_m(tmp .. "/repo/a/b/lib.m"), true, "pq next to it")
  eq(detect.is_connector_dot_m(tmp .. "/mixed/src/x.m"), true, ".mproj at repo root")
  eq(detect.is_connector_dot_m(tmp .. "/mixed/src/inner/y.m"), false, "nested repo stops the search")
end)

check("root detection", function()
  eq(detect.root_dir(tmp .. "/conn/Conn.pq"), tmp .. "/conn")
  eq(detect.root_dir(tmp .. "/conn/sub/deep.m"), tmp .. "/conn")
  eq(detect.root_dir(tmp .. "/repo/a/b/file.pq"), tmp .. "/repo", "pqls.json")
  eq(detect.root_dir(tmp .. "/mixed/src/inner/y.m"), tmp .. "/mixed", "project file beats nearer .git")
  mkdir("gitonly/.git")
  touch("gitonly/q/z.pq")
  eq(detect.root_dir(tmp .. "/gitonly/q/z.pq"), tmp .. "/gitonly", ".git")
  -- tempname() lives under a directory without markers (unless /tmp has them).
  local lone = detect.root_dir(tmp .. "/lone/only.pq")
  if lone ~= tmp .. "/lone" then
    local d = lone
    assert(detect.dirname(tmp):sub(1, #d) == d, "unexpected root " .. lone)
  end
end)

check("configuration answers", function()
  local s = { rules = { PQC030 = "off" }, settings = { reviewMode = true } }
  eq(pqls.configuration_for("pqls", s), s)
  eq(pqls.configuration_for("pqls.rules", s), { PQC030 = "off" })
  eq(pqls.configuration_for("pqls.settings.reviewMode", s), true)
  eq(pqls.configuration_for("pqls.nothing", s), vim.NIL)
  eq(pqls.configuration_for("editor", s), vim.NIL)
  eq(pqls.configuration_for(nil, s), { pqls = s })
  -- Empty maps must be sent as JSON objects, not arrays.
  eq(vim.json.encode(pqls.configuration_for("pqls.rules", {})), "{}")
  local enc = vim.json.decode(vim.json.encode(pqls.configuration_for("pqls", {})))
  eq(enc, { rules = {}, settings = {} })
end)

check("client config", function()
  pqls.setup({ cmd = { "/x/pqls", "serve", "--stdio" }, settings = { rules = { PQC001 = "hint" } } })
  local c = pqls.client_config("/w")
  eq(c.name, "pqls")
  eq(c.cmd, { "/x/pqls", "serve", "--stdio" })
  eq(c.root_dir, "/w")
  eq(c.settings.pqls.rules, { PQC001 = "hint" })
  eq(c.init_options.rules, { PQC001 = "hint" })
  eq(vim.json.encode(c.init_options.settings), "{}")
  eq(type(c.handlers["workspace/configuration"]), "function")
  local answer = c.handlers["workspace/configuration"](nil, { items = { { section = "pqls.rules" } } }, {}, {})
  eq(answer, { { PQC001 = "hint" } })
  -- A short cmd replaces the default instead of being merged into it.
  pqls.setup({ cmd = { "pqls-dev" } })
  eq(pqls.client_config("/w").cmd, { "pqls-dev" })
  pqls.setup({ init_options = { rules = { PQC002 = "off" } } })
  eq(pqls.client_config("/w").init_options.rules, { PQC002 = "off" })
end)

-- Filetype detection through the autocommands that setup() creates. The
-- server is never started: autostart is off.
check("filetype detection", function()
  pqls.setup({ autostart = false })
  local function ft_of(path)
    vim.cmd("edit " .. vim.fn.fnameescape(path))
    local ft = vim.bo.filetype
    vim.cmd("bwipeout!")
    return ft
  end
  eq(ft_of(tmp .. "/conn/Conn.pq"), "powerquery", ".pq")
  touch("conn/Util.pqm")
  eq(ft_of(tmp .. "/conn/Util.pqm"), "powerquery", ".pqm")
  eq(ft_of(tmp .. "/conn/Conn.m"), "powerquery", "connector .m")
  eq(ft_of(tmp .. "/objc/main.m") ~= "powerquery", true, "objective-c .m")
  pqls.setup({ autostart = false, dot_m = true })
  eq(ft_of(tmp .. "/objc/main.m"), "powerquery", "dot_m = true")
  pqls.setup({ autostart = false, dot_m = false })
  eq(ft_of(tmp .. "/conn/Conn.m") ~= "powerquery", true, "dot_m = false")
  pqls.setup({ autostart = false })
end)

check("ftdetect file", function()
  local files = vim.api.nvim_get_runtime_file("ftdetect/powerquery.vim", false)
  eq(#files, 1, "ftdetect/powerquery.vim on runtimepath")
end)

check("lsp/pqls.lua for vim.lsp.enable (0.11+)", function()
  local files = vim.api.nvim_get_runtime_file("lsp/pqls.lua", false)
  eq(#files, 1, "lsp/pqls.lua on runtimepath")
  -- Loading the file must work on any version: 0.7 never reads it, but a
  -- shared configuration may, and it must not call 0.11-only functions
  -- until the client starts.
  local cfg = dofile(files[1])
  eq(cfg.cmd, { "pqls", "serve", "--stdio" }, "cmd")
  eq(cfg.filetypes, { "powerquery" }, "filetypes")
  eq(vim.fn.json_encode(cfg.settings.pqls.rules), "{}", "rules encode as an object")
  eq(vim.fn.json_encode(cfg.init_options.settings), "{}", "settings encode as an object")
  local buf = vim.fn.bufadd(tmp .. "/conn/sub/deep.m")
  local got
  cfg.root_dir(buf, function(dir)
    got = dir
  end)
  eq(got, tmp .. "/conn", "root_dir of a file below a project")
end)

check("syntax highlighting without a server", function()
  vim.cmd("syntax enable")
  local buf = vim.api.nvim_create_buf(true, false)
  vim.api.nvim_set_current_buf(buf)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, {
    '[Version = "1.0.0"]',
    "section Contoso; // the connector",
    'shared Contoso.Contents = (url as text) => let x = Web.Contents(url & "?a=""b"""), n = 0x1F in #table({"A"}, {{x}});',
  })
  vim.bo[buf].filetype = "powerquery"
  eq(vim.b[buf].current_syntax, "powerquery", "syntax file loaded")
  local function group(line, needle)
    local text = vim.api.nvim_buf_get_lines(buf, line - 1, line, false)[1]
    local col = text:find(needle, 1, true)
    assert(col, needle .. " not on line " .. line)
    return vim.fn.synIDattr(vim.fn.synID(line, col, 1), "name")
  end
  eq(group(2, "section"), "pqKeyword", "section")
  eq(group(2, "// the"), "pqComment", "comment")
  eq(group(1, '"1.0.0"'), "pqString", "text")
  eq(group(3, "text)"), "pqType", "type name")
  eq(group(3, "let"), "pqKeyword", "let")
  eq(group(3, "Web.Contents"), "pqLibrary", "library function")
  eq(group(3, '""b'), "pqEscape", "escaped quote")
  eq(group(3, "0x1F"), "pqNumber", "hex number")
  eq(group(3, "#table"), "pqHashKeyword", "#table")
  eq(group(3, "Contoso.Contents"), "pqLibrary", "dotted shared name")
  eq(group(3, "url as"), "", "plain identifier")
  eq(vim.bo[buf].commentstring, "// %s", "commentstring from ftplugin")
end)

vim.fn.delete(tmp, "rf")
out(string.format("%d passed, %d failed", passed, failed))
if failed > 0 then
  vim.cmd("cquit 1")
else
  vim.cmd("qa!")
end
