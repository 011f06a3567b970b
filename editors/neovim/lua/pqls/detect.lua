-- File type and project-root detection for pqls.
--
-- Pure functions over the file system (through libuv), usable without
-- setup(): ftdetect/powerquery.vim calls dot_m() for every .m file.
-- Works on Neovim 0.7 (no vim.fs there).

local uv = vim.uv or vim.loop

local M = {}

local sep = package.config:sub(1, 1)

--- Directory part of a path ("/a/b/c.pq" -> "/a/b").
function M.dirname(path)
  local dir = path:match("^(.*)[/\\][^/\\]*$")
  if dir == nil then
    return "."
  end
  if dir == "" then
    return "/"
  end
  if dir:match("^%a:$") then
    return dir .. sep
  end
  return dir
end

--- Parent directory, or nil at the file-system root.
local function parent(dir)
  local p = M.dirname(dir)
  if p == dir or p == "." then
    return nil
  end
  return p
end

local function join(dir, name)
  if dir:sub(-1) == "/" or dir:sub(-1) == "\\" then
    return dir .. name
  end
  return dir .. "/" .. name
end

--- Names of the entries of a directory ({} if it cannot be read).
function M.list_dir(dir)
  local names = {}
  local handle = uv.fs_scandir(dir)
  if not handle then
    return names
  end
  while true do
    local name = uv.fs_scandir_next(handle)
    if not name then
      break
    end
    names[#names + 1] = name
  end
  return names
end

local function has_suffix(lower, suffix)
  return #lower > #suffix and lower:sub(-#suffix) == suffix
end

--- Whether a file name marks a connector project: an SDK MSBuild project
--- (*.proj, *.mproj) or a pqls.json configuration file.
function M.is_project_file(name)
  local lower = name:lower()
  return lower == "pqls.json" or has_suffix(lower, ".proj") or has_suffix(lower, ".mproj")
end

--- Whether a file name is a Power Query document (*.pq).
function M.is_pq_file(name)
  return has_suffix(name:lower(), ".pq")
end

local function dir_has(dir, pred)
  for _, name in ipairs(M.list_dir(dir)) do
    if pred(name) then
      return true
    end
  end
  return false
end

local function is_repo_root(dir)
  return uv.fs_stat(join(dir, ".git")) ~= nil
end

--- Whether a .m file belongs to a Power Query connector: a *.pq file lies
--- next to it, or a project file (*.proj, *.mproj, pqls.json) is found in
--- its directory or above it. The upward search stops at the repository
--- root (a directory holding .git) and never looks above $HOME.
function M.is_connector_dot_m(path)
  local dir = M.dirname(path)
  if dir_has(dir, M.is_pq_file) then
    return true
  end
  local home = os.getenv("HOME")
  while dir do
    if dir_has(dir, M.is_project_file) then
      return true
    end
    if is_repo_root(dir) or dir == home then
      return false
    end
    dir = parent(dir)
  end
  return false
end

--- Project root for a file: the nearest directory (upwards) holding
--- *.proj, *.mproj or pqls.json; else the nearest holding .git; else the
--- file's own directory.
function M.root_dir(path)
  local start = M.dirname(path)
  local dir = start
  while dir do
    if dir_has(dir, M.is_project_file) then
      return dir
    end
    dir = parent(dir)
  end
  dir = start
  while dir do
    if is_repo_root(dir) then
      return dir
    end
    dir = parent(dir)
  end
  return start
end

--- Filetype decision for a .m buffer. vim.g.pqls_dot_m may be true (every
--- .m file is Power Query), false (none is) or unset / "auto" (only .m
--- files of connector projects).
function M.dot_m(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == "" or not name:lower():match("%.m$") then
    return
  end
  local mode = vim.g.pqls_dot_m
  local yes
  if mode == true or mode == 1 then
    yes = true
  elseif mode == false or mode == 0 then
    yes = false
  else
    yes = M.is_connector_dot_m(name)
  end
  if yes and vim.bo[bufnr].filetype ~= "powerquery" then
    -- Overrides the Objective-C / MATLAB guess made earlier.
    vim.bo[bufnr].filetype = "powerquery"
  end
end

return M
