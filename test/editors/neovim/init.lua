-- Drives Neovim's built-in LSP client against the NetLens language server, headless, for
-- test/editors/neovim.test.ts: opens shop/frontend.yaml of a copy of examples/shop, waits for NetLens's
-- diagnostics, asks for a hover on the podSelector of the web-tier policy in shop/policies.yaml, writes
-- what it saw to $NETLENS_OUT (JSON) and quits. Works on Neovim 0.7 (vim.lsp.start_client) and later
-- (vim.lsp.start). Environment: NETLENS_NODE (node binary), NETLENS_SERVER (bin/netlens-language-server.js),
-- NETLENS_WORKSPACE (the workspace copy), NETLENS_OUT (result file), NETLENS_TIMEOUT_MS (default 30000).
local node = assert(os.getenv('NETLENS_NODE'), 'NETLENS_NODE')
local server = assert(os.getenv('NETLENS_SERVER'), 'NETLENS_SERVER')
local workspace = assert(os.getenv('NETLENS_WORKSPACE'), 'NETLENS_WORKSPACE')
local out = assert(os.getenv('NETLENS_OUT'), 'NETLENS_OUT')
local timeout = tonumber(os.getenv('NETLENS_TIMEOUT_MS') or '30000')

local v = vim.version()
local result = {
  nvim = string.format('%d.%d.%d', v.major, v.minor, v.patch),
  steps = {},
}

local function finish(code)
  local f = assert(io.open(out, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd(code == 0 and 'qall!' or ('cquit ' .. code))
end

local function fail(message)
  result.error = message
  finish(1)
end

-- the folder the server indexes: the nearest folder above the file with a .git (else the file's folder)
local function root_dir(file)
  local dir = vim.fn.fnamemodify(file, ':p:h')
  while true do
    if vim.loop.fs_stat(dir .. '/.git') then
      return dir
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      return vim.fn.fnamemodify(file, ':p:h')
    end
    dir = parent
  end
end

local client_id
-- attaches the current buffer to the NetLens server (started once per root)
local function attach()
  local buf = vim.api.nvim_get_current_buf()
  local root = root_dir(vim.api.nvim_buf_get_name(buf))
  result.root = root
  local config = {
    name = 'netlens',
    cmd = { node, server, '--stdio' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ':t') } },
  }
  if vim.lsp.start then
    client_id = vim.lsp.start(config)
  else
    client_id = client_id or vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(buf, client_id)
  end
  return buf
end

vim.cmd('edit ' .. vim.fn.fnameescape(workspace .. '/shop/frontend.yaml'))
vim.bo.filetype = 'yaml'
local frontend = attach()
if not client_id then
  return fail('the NetLens server did not start')
end
table.insert(result.steps, 'started')

local ok = vim.wait(timeout, function()
  for _, d in ipairs(vim.diagnostic.get(frontend)) do
    if d.code == 'unresolvable-name' then
      return true
    end
  end
  return false
end, 50)
result.diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(frontend)) do
  table.insert(result.diagnostics, {
    code = d.code,
    source = d.source,
    message = d.message,
    severity = d.severity,
    line = d.lnum,
    col = d.col,
  })
end
local client = vim.lsp.get_client_by_id(client_id)
local caps = client and (client.server_capabilities or client.resolved_capabilities) or {}
result.pull_offered = caps.diagnosticProvider ~= nil
if not ok then
  return fail('no unresolvable-name diagnostic within ' .. timeout .. ' ms')
end
table.insert(result.steps, 'diagnostics')

vim.cmd('edit ' .. vim.fn.fnameescape(workspace .. '/shop/policies.yaml'))
vim.bo.filetype = 'yaml'
local policies = attach()
local lines = vim.api.nvim_buf_get_lines(policies, 0, -1, false)
local line
local seen_policy = false
for i, l in ipairs(lines) do
  if l == '  name: web-tier' then
    seen_policy = true
  elseif seen_policy and l == '  podSelector:' then
    line = i - 1
    break
  end
end
if not line then
  return fail('no podSelector of web-tier in shop/policies.yaml')
end
result.hover_position = { line = line, character = 3 }
local responses = vim.lsp.buf_request_sync(policies, 'textDocument/hover', {
  textDocument = { uri = vim.uri_from_bufnr(policies) },
  position = result.hover_position,
}, timeout)
for _, r in pairs(responses or {}) do
  if r.result and r.result.contents then
    local c = r.result.contents
    result.hover = type(c) == 'table' and (c.value or vim.fn.json_encode(c)) or c
  elseif r.err then
    result.hover_error = r.err.message
  end
end
if not result.hover then
  return fail('no hover on the podSelector of web-tier')
end
table.insert(result.steps, 'hover')
finish(0)
