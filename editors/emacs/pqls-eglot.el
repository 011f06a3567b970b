;;; pqls-eglot.el --- Use the pqls language server through eglot  -*- lexical-binding: t; -*-

;; Package-Requires: ((emacs "27.1") (eglot "1.9"))

;;; Commentary:

;; Load after pq-mode.el, e.g. in init.el:
;;
;;   (add-to-list 'load-path "/path/to/pqls/editors/emacs")
;;   (require 'pq-mode)
;;   (require 'pqls-eglot)
;;   (add-hook 'pq-mode-hook #'eglot-ensure)
;;
;; Rule configuration (same shape as a pqls.json file) goes into
;; `eglot-workspace-configuration', which eglot uses to answer the server's
;; workspace/configuration requests, e.g. in a .dir-locals.el:
;;
;;   ((pq-mode . ((eglot-workspace-configuration
;;                 . (:pqls (:rules (:PQC030 "off")
;;                           :settings (:reviewMode t)))))))

;;; Code:

(require 'pq-mode)

(defvar eglot-server-programs)
(defvar project-find-functions)

(defun pqls-project-root (dir)
  "Directory at or above DIR that holds a connector project, or nil.
A connector project has a *.proj or *.mproj file, or a pqls.json."
  (locate-dominating-file
   dir
   (lambda (d)
     (and (file-directory-p d)
          (or (file-exists-p (expand-file-name "pqls.json" d))
              (directory-files d nil "\\.m?proj\\'" t))))))

(defun pqls-project-find (dir)
  "Function for `project-find-functions': a connector project around DIR.
It is only consulted in `pq-mode' buffers, so other projects are unaffected."
  (when (derived-mode-p 'pq-mode)
    (let ((root (pqls-project-root dir)))
      (when root
        (cons 'transient (expand-file-name root))))))

(with-eval-after-load 'project
  (add-hook 'project-find-functions #'pqls-project-find))

(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs '(pq-mode . ("pqls" "serve" "--stdio"))))

(provide 'pqls-eglot)

;;; pqls-eglot.el ends here
