" Power Query M: .pq and .pqm files always, .m files only inside a
" connector project (see lua/pqls/detect.lua and g:pqls_dot_m).
autocmd BufRead,BufNewFile *.pq,*.pqm setfiletype powerquery
autocmd BufRead,BufNewFile *.m lua require('pqls.detect').dot_m(tonumber(vim.fn.expand('<abuf>')))
