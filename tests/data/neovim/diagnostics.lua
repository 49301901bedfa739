-- Headless Neovim (0.7 and later): start pagelint's server for the current buffer, wait for its
-- diagnostics and write them to $PAGELINT_OUT, one "CODE line col" a line (0-based; col in bytes).
local out, cmd = vim.env.PAGELINT_OUT, vim.env.PAGELINT_CMD
local id = vim.lsp.start_client({ name = "pagelint", cmd = vim.split(cmd, "\t"), root_dir = vim.fn.getcwd() })
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, id)
local ok = vim.wait(60000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
local lines = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(lines, string.format("%s %d %d", d.code or "?", d.lnum, d.col))
end
if not ok then lines = { "timeout" } end
vim.fn.writefile(lines, out)
vim.lsp.stop_client(id)
vim.wait(5000, function() return vim.tbl_isempty(vim.lsp.get_active_clients()) end, 50)
vim.cmd("qa!")
