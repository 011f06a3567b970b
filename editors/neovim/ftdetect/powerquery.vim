" Power Query M: .pq and .pqm files always. In Neovim, .m files too when they
" belong to a connector project (see lua/pqls/detect.lua and g:pqls_dot_m);
" Vim leaves .m to Objective-C and MATLAB (`:setfiletype powerquery` by hand).
autocmd BufRead,BufNewFile *.pq,*.pqm setfiletype powerquery
if has('nvim')
  autocmd BufRead,BufNewFile *.m lua require('pqls.detect').dot_m(tonumber(vim.fn.expand('<abuf>')))
endif
