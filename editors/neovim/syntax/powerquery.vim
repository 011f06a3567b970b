" Vim syntax file
" Language:    Power Query M (.pq, .pqm, and .m files of a connector project)
" Maintainer:  the pqls authors
"
" Highlighting without a language server: Vim, and Neovim before semantic
" tokens. With pqls attached, Neovim 0.9+ layers semantic tokens on top.
" Follows the M language specification's lexical grammar: keywords,
" #-keywords, text with "" escapes, #"quoted identifiers", comments, numbers.

if exists("b:current_syntax")
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

" M is case-sensitive.
syn case match

" Identifiers may contain dots (Table.AddColumn); match them whole so that a
" keyword inside one (Record.Field.type) is not highlighted.
syn iskeyword @,48-57,_,.,192-255

syn keyword pqConditional  if then else
syn keyword pqKeyword      let in each section shared meta try catch otherwise error
syn keyword pqOperator     and or not as is
syn keyword pqBoolean      true false
syn keyword pqConstant     null
syn keyword pqType         any anynonnull binary date datetime datetimezone duration function list logical none number record table text time type nullable optional

" #-keywords: #date(…), #table(…), #shared, …
syn match   pqHashKeyword  "#\%(binary\|date\|datetime\|datetimezone\|duration\|infinity\|nan\|sections\|shared\|table\|time\)\>"

" Library functions and other dotted names that start with a capital letter:
" Web.Contents, Extension.CurrentCredential, Diagnostics.Trace.
syn match   pqLibrary      "\<\u\w*\%(\.\u\w*\)\+\>"

" Numbers: decimal with fraction and exponent, and hexadecimal.
syn match   pqNumber       "\<0[xX]\x\+\>"
syn match   pqNumber       "\<\d\+\%(\.\d\+\)\=\%([eE][+-]\=\d\+\)\=\>"
syn match   pqNumber       "\.\d\+\%([eE][+-]\=\d\+\)\=\>"

" Text: "" is an escaped quote; #(cr), #(lf), #(tab), #(#)… are escapes.
syn region  pqString       start=+"+ skip=+""+ end=+"+ contains=pqEscape,@Spell
syn match   pqEscape       contained +""+
syn match   pqEscape       contained "#(\%(cr\|lf\|tab\|#\|\x\{4}\|\x\{8}\)\%(,\%(cr\|lf\|tab\|\x\{4}\|\x\{8}\)\)*)"

" Quoted identifiers: #"Column name"
syn region  pqQuotedIdent  start=+#"+ skip=+""+ end=+"+

" Comments.
syn keyword pqTodo         contained TODO FIXME XXX NOTE
syn match   pqComment      "//.*$" contains=pqTodo,@Spell
syn region  pqComment      start="/\*" end="\*/" contains=pqTodo,@Spell

" Punctuation that carries meaning.
syn match   pqArrow        "=>"
syn match   pqOperator     "??\|<>\|<=\|>=\|&\|\.\.\."

hi def link pqConditional  Conditional
hi def link pqKeyword      Keyword
hi def link pqOperator     Operator
hi def link pqArrow        Operator
hi def link pqBoolean      Boolean
hi def link pqConstant     Constant
hi def link pqType         Type
hi def link pqHashKeyword  Special
hi def link pqLibrary      Function
hi def link pqNumber       Number
hi def link pqString       String
hi def link pqEscape       SpecialChar
hi def link pqQuotedIdent  Identifier
hi def link pqComment      Comment
hi def link pqTodo         Todo

let b:current_syntax = "powerquery"

let &cpo = s:cpo_save
unlet s:cpo_save
