# pqls for Kakoune: filetype detection, comments, and the kakoune-lsp
# server entry. Source it from kakrc (`source /path/to/pqls.kak`) after
# kakoune-lsp has been loaded (`eval %sh{kak-lsp}` and `lsp-enable` or
# `lsp-enable-window`).

# .pq and .pqm are Power Query M. .m is left alone (Objective-C, MATLAB).
hook global BufCreate .*[.](pq|pqm) %{
    set-option buffer filetype powerquery
}

hook global WinSetOption filetype=powerquery %{
    set-option window comment_line '//'
    set-option window comment_block_begin '/*'
    set-option window comment_block_end '*/'
    # kakoune-lsp: start the server for this window.
    try %{ lsp-enable-window }
}

# kakoune-lsp 17 and later read the server list from the lsp_servers
# option (TOML). Older releases ignore it and use kak-lsp.toml instead.
hook -group pqls global BufSetOption filetype=powerquery %{
    set-option buffer lsp_servers %{
        [pqls]
        root_globs = ["*.proj", "*.mproj", "pqls.json", ".git"]
        command = "pqls"
        args = ["serve", "--stdio"]
        settings_section = "pqls"
        [pqls.settings.pqls]
        rules = {}
        settings = {}
    }
}
