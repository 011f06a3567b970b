" Checks, in Vim, that ftdetect and the syntax file highlight M:
"   vim -Nu NONE -i NONE -es --cmd 'set rtp^=editors/neovim' --cmd 'let g:out = "RESULT"' \
"       -S editors/neovim/test/vim-syntax.vim FILE.pq
" Writes "ok" or the failures to the file g:out, one per line.
filetype on
syntax on
" Load the file again so that detection runs with filetype on.
edit
let s:fails = []
if &filetype !=# 'powerquery'
  call add(s:fails, 'filetype is "' . &filetype . '", want powerquery')
endif
function! s:Expect(line, needle, group) abort
  let l:col = stridx(getline(a:line), a:needle) + 1
  if l:col == 0
    call add(s:fails, a:needle . ' not on line ' . a:line)
    return
  endif
  let l:got = synIDattr(synID(a:line, l:col, 1), 'name')
  if l:got !=# a:group
    call add(s:fails, a:needle . ': ' . l:got . ', want ' . a:group)
  endif
endfunction
call s:Expect(1, 'section', 'pqKeyword')
call s:Expect(2, 'Web.Contents', 'pqLibrary')
call s:Expect(2, '"https', 'pqString')
call s:Expect(2, '// fetch', 'pqComment')
call s:Expect(2, '#"Quoted name"', 'pqQuotedIdent')
call writefile(empty(s:fails) ? ['ok'] : s:fails, g:out)
qa!
