;;; pq-mode.el --- Major mode for Power Query M  -*- lexical-binding: t; -*-

;; Keywords: languages
;; Package-Requires: ((emacs "27.1"))

;;; Commentary:

;; A small major mode for Power Query M files (.pq, .pqm): comments,
;; strings, keyword highlighting.  Diagnostics and fixes come from the pqls
;; language server; see pqls-eglot.el for the eglot setup.
;;
;; `.m' files are not claimed, because Objective-C and MATLAB use the same
;; extension.  To open the `.m' files of connector projects in `pq-mode',
;; add `pq-mode-dispatch-dot-m' to `auto-mode-alist' yourself:
;;
;;   (add-to-list 'auto-mode-alist '("\\.m\\'" . pq-mode-dispatch-dot-m))

;;; Code:

(defgroup pq nil
  "Power Query M."
  :group 'languages
  :prefix "pq-")

(defcustom pq-indent-offset 4
  "Indentation step used by `pq-mode'."
  :type 'integer
  :safe #'integerp)

(defcustom pq-dot-m-fallback-mode #'objc-mode
  "Mode for `.m' files that are not part of a connector project."
  :type 'function)

(defconst pq-keywords
  '("and" "as" "each" "else" "error" "false" "if" "in" "is" "let" "meta"
    "not" "null" "or" "otherwise" "section" "shared" "then" "true" "try"
    "type" "catch" "optional" "nullable")
  "Keywords of the M language.")

(defconst pq-hash-keywords
  '("#binary" "#date" "#datetime" "#datetimezone" "#duration" "#infinity"
    "#nan" "#sections" "#shared" "#table" "#time")
  "Keywords of the M language that start with #.")

(defvar pq-mode-syntax-table
  (let ((st (make-syntax-table)))
    ;; // line comments and /* */ block comments.
    (modify-syntax-entry ?/ ". 124b" st)
    (modify-syntax-entry ?* ". 23" st)
    (modify-syntax-entry ?\n "> b" st)
    (modify-syntax-entry ?\r "> b" st)
    ;; Strings use "" to escape a quote, which the default string syntax
    ;; handles as two adjacent strings.
    (modify-syntax-entry ?\" "\"" st)
    (modify-syntax-entry ?\\ "." st)
    (modify-syntax-entry ?' "." st)
    ;; Identifiers may contain dots (Table.AddColumn); #date is a keyword.
    (modify-syntax-entry ?. "_" st)
    (modify-syntax-entry ?_ "_" st)
    (modify-syntax-entry ?# "_" st)
    (modify-syntax-entry ?= "." st)
    (modify-syntax-entry ?< "." st)
    (modify-syntax-entry ?> "." st)
    (modify-syntax-entry ?& "." st)
    (modify-syntax-entry ?+ "." st)
    (modify-syntax-entry ?- "." st)
    (modify-syntax-entry ?@ "." st)
    (modify-syntax-entry ?! "." st)
    (modify-syntax-entry ?? "." st)
    st)
  "Syntax table for `pq-mode'.")

(defvar pq-font-lock-keywords
  `((,(regexp-opt pq-hash-keywords 'symbols) . font-lock-builtin-face)
    (,(regexp-opt pq-keywords 'symbols) . font-lock-keyword-face)
    ;; Section member definitions: [shared] Name = ...
    ("^\\s-*\\(?:shared\\s-+\\)?\\([A-Za-z_][A-Za-z0-9_.]*\\)\\s-*=[^=>]"
     1 font-lock-function-name-face)
    ("\\_<[0-9]+\\(?:\\.[0-9]+\\)?\\(?:[eE][-+]?[0-9]+\\)?\\_>" . font-lock-constant-face))
  "Highlighting for `pq-mode'.")

;;;###autoload
(define-derived-mode pq-mode prog-mode "PQ"
  "Major mode for Power Query M."
  :syntax-table pq-mode-syntax-table
  (setq-local comment-start "// ")
  (setq-local comment-end "")
  (setq-local comment-start-skip "\\(?://+\\|/\\*+\\)\\s-*")
  (setq-local comment-use-syntax t)
  (setq-local indent-tabs-mode nil)
  (setq-local tab-width pq-indent-offset)
  (setq-local font-lock-defaults '(pq-font-lock-keywords)))

(defun pq-connector-directory-p (dir)
  "Non-nil if DIR holds a Power Query connector project.
That is a *.proj, *.mproj or *.pq file, or a pqls.json."
  (and dir
       (file-directory-p dir)
       (or (file-exists-p (expand-file-name "pqls.json" dir))
           (directory-files dir nil "\\.\\(?:proj\\|mproj\\|pq\\)\\'" t))
       t))

;;;###autoload
(defun pq-mode-dispatch-dot-m ()
  "Use `pq-mode' for a `.m' file of a connector project.
Other `.m' files get `pq-dot-m-fallback-mode'."
  (interactive)
  (if (and buffer-file-name
           (pq-connector-directory-p (file-name-directory buffer-file-name)))
      (pq-mode)
    (funcall pq-dot-m-fallback-mode)))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.pqm?\\'" . pq-mode))

(provide 'pq-mode)

;;; pq-mode.el ends here
