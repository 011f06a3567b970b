// VS Code client for pqls, the Power Query M connector language server.
//
// The decisions (which binary, which files, which settings) live in logic.ts;
// this file only wires them to the VS Code API.

import * as cp from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from "vscode-languageclient/node";
import {
  DIAGNOSTIC_SOURCE,
  PUSH_KEYS,
  RESTART_KEYS,
  ResolvedServer,
  ServerSettings,
  ServerState,
  FeatureDecision,
  MICROSOFT_POWER_QUERY_EXTENSION,
  configurationFor,
  decideFeatures,
  describeServer,
  documentSelector,
  explainArgs,
  isDotM,
  isPowerQueryFile,
  isRuleCode,
  resolveServerPath,
  ruleCodeFromDiagnostic,
  ruleCodesOf,
  serveArgs,
  shouldServeDotM,
  statusText,
  toServerSettings,
} from "./logic";

const EXPLAIN_SCHEME = "pqls-explain";

/**
 * The trace channel handed to the language client. vscode-languageclient 11
 * only traces when its trace channel's log level is Trace, and then reads
 * `pqls.trace.server` for the detail. This adapter derives the level from
 * `pqls.trace.server` alone, so that the setting works by itself, and writes
 * the messages into the normal "pqls" channel.
 */
class TraceChannel implements vscode.LogOutputChannel {
  private readonly changed = new vscode.EventEmitter<vscode.LogLevel>();
  readonly onDidChangeLogLevel = this.changed.event;
  readonly name: string;

  constructor(private readonly out: vscode.LogOutputChannel) {
    this.name = out.name;
  }

  get logLevel(): vscode.LogLevel {
    const v = vscode.workspace.getConfiguration("pqls").get<string>("trace.server", "off");
    return v === "messages" || v === "verbose" ? vscode.LogLevel.Trace : vscode.LogLevel.Off;
  }

  /** Called when pqls.trace.server changed. */
  refresh(): void {
    this.changed.fire(this.logLevel);
  }

  trace(message: string): void {
    this.out.appendLine(message);
  }
  debug(message: string): void {
    this.out.debug(message);
  }
  info(message: string): void {
    this.out.info(message);
  }
  warn(message: string): void {
    this.out.warn(message);
  }
  error(error: string | Error): void {
    this.out.error(error);
  }
  append(value: string): void {
    this.out.append(value);
  }
  appendLine(value: string): void {
    this.out.appendLine(value);
  }
  replace(value: string): void {
    this.out.replace(value);
  }
  clear(): void {
    this.out.clear();
  }
  show(preserveFocus?: boolean): void;
  show(column?: vscode.ViewColumn, preserveFocus?: boolean): void;
  show(a?: boolean | vscode.ViewColumn, b?: boolean): void {
    this.out.show(typeof a === "boolean" ? a : b);
  }
  hide(): void {
    this.out.hide();
  }
  dispose(): void {
    this.changed.dispose();
  }
}

let ext: PqlsExtension | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  ext = new PqlsExtension(context);
  await ext.init();
}

export async function deactivate(): Promise<void> {
  if (ext) {
    await ext.dispose();
    ext = undefined;
  }
}

class PqlsExtension {
  private readonly output: vscode.LogOutputChannel;
  private readonly traceChannel: TraceChannel;
  private readonly status: vscode.StatusBarItem;
  private readonly explainDocs = new Map<string, string>();
  private readonly explainChanged = new vscode.EventEmitter<vscode.Uri>();
  private client: LanguageClient | undefined;
  private server: ResolvedServer | undefined;
  /** Folders whose `.m` files are served (connector projects). */
  private readonly dotMFolders = new Set<string>();
  /** Serialises start/stop/restart. */
  private queue: Promise<unknown> = Promise.resolve();
  private lastError: string | undefined;
  /** Set when the server failed to start; cleared by a restart. */
  private startFailed = false;
  /** Settings problems already reported, so that each is logged once. */
  private readonly warned = new Set<string>();

  constructor(private readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel("pqls", { log: true });
    this.traceChannel = new TraceChannel(this.output);
    this.status = vscode.window.createStatusBarItem("pqls.status", vscode.StatusBarAlignment.Right, 100);
    this.status.name = "pqls";
    this.status.command = "pqls.showOutput";
    context.subscriptions.push(this.output, this.traceChannel, this.status, this.explainChanged);
  }

  async init(): Promise<void> {
    const ctx = this.context;
    ctx.subscriptions.push(
      vscode.commands.registerCommand("pqls.restartServer", () => this.restart()),
      vscode.commands.registerCommand("pqls.explainRule", (code?: unknown) => this.explainRule(code)),
      vscode.commands.registerCommand("pqls.showOutput", () => this.output.show(true)),
      vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, {
        onDidChange: this.explainChanged.event,
        provideTextDocumentContent: (uri) => this.explainDocs.get(uri.toString()) ?? "",
      }),
      vscode.workspace.onDidOpenTextDocument((doc) => this.onOpen(doc)),
      vscode.workspace.onDidChangeConfiguration((e) => this.onConfigChange(e)),
      // Microsoft's extension installed or removed: the mode may change.
      vscode.extensions.onDidChange(() => this.onExtensionsChange()),
      // Trusting the folder lifts the limited mode: the workspace's server
      // settings now count and fixes are offered.
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        if (this.client) {
          void this.restart();
        }
      }),
    );

    await this.scanWorkspaceForConnectorFolders();
    for (const doc of vscode.workspace.textDocuments) {
      await this.onOpen(doc);
    }
    // The server is started lazily, by the first Power Query document; until
    // then the status-bar item stays hidden (this extension also activates
    // for Objective-C and MATLAB files, which may never need it).
  }

  async dispose(): Promise<void> {
    await this.enqueue(() => this.stopClient());
  }

  // -- which documents ------------------------------------------------------

  private hasPowerQueryDocument(): boolean {
    return vscode.workspace.textDocuments.some((d) => this.isServed(d));
  }

  private enableForDotM(): boolean {
    return vscode.workspace.getConfiguration("pqls").get<boolean>("enableForDotM", false);
  }

  private isServed(doc: vscode.TextDocument): boolean {
    if (doc.uri.scheme === "untitled") {
      return doc.languageId === "powerquery";
    }
    if (doc.uri.scheme !== "file") {
      return false;
    }
    const p = doc.uri.fsPath;
    if (isPowerQueryFile(p)) {
      return true;
    }
    if (isDotM(p)) {
      return this.enableForDotM() || this.dotMFolders.has(path.dirname(p));
    }
    return false;
  }

  private async scanWorkspaceForConnectorFolders(): Promise<void> {
    if (!vscode.workspace.workspaceFolders?.length) {
      return;
    }
    try {
      const found = await vscode.workspace.findFiles("**/*.{proj,mproj,pq}", "**/{node_modules,.git,bin,obj}/**", 2000);
      for (const uri of found) {
        if (uri.scheme === "file") {
          this.dotMFolders.add(path.dirname(uri.fsPath));
        }
      }
    } catch (err) {
      this.output.warn(`could not scan the workspace for connector projects: ${String(err)}`);
    }
  }

  private async onOpen(doc: vscode.TextDocument): Promise<void> {
    if (doc.uri.scheme !== "file" && doc.uri.scheme !== "untitled") {
      return;
    }
    const p = doc.uri.fsPath;
    if (doc.uri.scheme === "file" && isDotM(p)) {
      const dir = path.dirname(p);
      const known = this.dotMFolders.has(dir);
      if (!known && shouldServeDotM(p, false, listDir)) {
        this.dotMFolders.add(dir);
        this.output.info(`treating .m files in ${dir} as Power Query (connector project found)`);
        if (this.client) {
          // The document selector is fixed when the client starts.
          await this.restart();
        }
      }
      if (!this.isServed(doc)) {
        return;
      }
      if (doc.languageId !== "powerquery") {
        // VS Code thinks this is Objective-C or MATLAB. Give it our language
        // id so that comments and brackets behave; the document is reopened
        // and comes back through this handler.
        try {
          await vscode.languages.setTextDocumentLanguage(doc, "powerquery");
        } catch (err) {
          this.output.warn(`could not set the language of ${p}: ${String(err)}`);
        }
      }
    }
    if (this.isServed(doc) && !this.client && !this.startFailed) {
      await this.start();
    }
  }

  // -- settings -----------------------------------------------------------

  /**
   * The feature mode: pqls.features, and whether Microsoft's Power Query
   * extension is installed (see decideFeatures in logic.ts).
   */
  private featureDecision(): FeatureDecision {
    const setting = vscode.workspace.getConfiguration("pqls").get("features");
    const installed = vscode.extensions.getExtension(MICROSOFT_POWER_QUERY_EXTENSION) !== undefined;
    const d = decideFeatures(setting, installed);
    this.warnOnce(d.problems);
    return d;
  }

  private warnOnce(problems: readonly string[]): void {
    for (const p of problems) {
      if (!this.warned.has(p)) {
        this.warned.add(p);
        this.output.warn(p);
      }
    }
  }

  private serverSettings(scope?: vscode.Uri): ServerSettings {
    const cfg = vscode.workspace.getConfiguration("pqls", scope);
    const { value, problems } = toServerSettings({
      rules: cfg.get("rules"),
      settings: cfg.get("settings"),
      diagnosticsDelay: cfg.get("diagnosticsDelay"),
      features: this.featureDecision().mode,
      parameterNames: cfg.get("inlayHints.parameterNames"),
    });
    for (const p of problems) {
      if (!this.warned.has(p)) {
        this.warned.add(p);
        this.output.warn(p);
      }
    }
    return value;
  }

  private async onConfigChange(e: vscode.ConfigurationChangeEvent): Promise<void> {
    if (e.affectsConfiguration("pqls.trace.server")) {
      this.traceChannel.refresh();
    }
    if (RESTART_KEYS.some((k) => e.affectsConfiguration(k))) {
      if (this.client || this.hasPowerQueryDocument()) {
        await this.restart();
      }
      return;
    }
    if (PUSH_KEYS.some((k) => e.affectsConfiguration(k)) && this.client?.isRunning()) {
      await this.client.sendNotification(DidChangeConfigurationNotification.type, {
        settings: { pqls: this.serverSettings() },
      });
    }
  }

  /** The feature mode the status bar last showed. */
  private lastMode: string | undefined;

  private async onExtensionsChange(): Promise<void> {
    const mode = this.featureDecision().mode;
    if (this.lastMode !== undefined && mode !== this.lastMode && this.client) {
      this.output.info(`feature mode is now ${mode}: restarting pqls`);
      await this.restart();
    }
  }

  // -- client lifecycle -------------------------------------------------------

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private start(): Promise<void> {
    return this.enqueue(() => this.startClient());
  }

  private restart(): Promise<void> {
    return this.enqueue(async () => {
      this.output.info("restarting pqls");
      this.startFailed = false;
      await this.stopClient();
      await this.startClient();
    });
  }

  private resolveServer(): ResolvedServer {
    const cfg = vscode.workspace.getConfiguration("pqls");
    return resolveServerPath({
      configured: cfg.get<string>("serverPath"),
      useBundled: cfg.get<boolean>("useBundledServer", true),
      pathEnv: process.env.PATH ?? process.env.Path ?? "",
      pathExt: process.env.PATHEXT,
      extensionPath: this.context.extensionPath,
      platform: process.platform,
      arch: process.arch,
      exists: (p) => fs.existsSync(p),
      home: os.homedir(),
      workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    });
  }

  private async startClient(): Promise<void> {
    if (this.client) {
      return;
    }
    const cfg = vscode.workspace.getConfiguration("pqls");
    const server = this.resolveServer();
    this.server = server;
    const args = serveArgs(cfg.get<string[]>("serverExtraArgs", []));
    this.output.info(`starting ${describeServer(server)}: ${server.command} ${args.join(" ")}`);

    const serverOptions: ServerOptions = {
      run: { command: server.command, args },
      debug: { command: server.command, args },
    };
    const selector = documentSelector(this.enableForDotM(), this.dotMFolders);
    const clientOptions: LanguageClientOptions = {
      documentSelector: selector,
      outputChannel: this.output,
      traceOutputChannel: this.traceChannel,
      initializationOptions: () => this.serverSettings(),
      // Our diagnostics say "pqls"; Microsoft's Power Query extension uses its own source.
      diagnosticCollectionName: DIAGNOSTIC_SOURCE,
      middleware: {
        // Limited mode in an untrusted workspace: diagnostics only, no
        // edits proposed (package.json, capabilities.untrustedWorkspaces).
        provideCodeActions: (document, range, context, token, next) =>
          vscode.workspace.isTrusted ? next(document, range, context, token) : [],
        workspace: {
          configuration: async (params, token, next) => {
            const items = params.items;
            const answers: unknown[] = [];
            let needsDefault = false;
            for (const item of items) {
              const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
              const own = configurationFor(item.section, this.serverSettings(scope));
              answers.push(own);
              if (own === undefined) {
                needsDefault = true;
              }
            }
            if (!needsDefault) {
              return answers;
            }
            const fallback = await next(params, token);
            if (!Array.isArray(fallback)) {
              return fallback;
            }
            return answers.map((a, i) => (a === undefined ? fallback[i] : a));
          },
        },
      },
    };

    const client = new LanguageClient("pqls", "pqls", serverOptions, clientOptions);
    this.client = client;
    client.onDidChangeState((e) => {
      if (e.newState === State.Starting) {
        this.setState("starting");
      } else if (e.newState === State.Running) {
        this.lastError = undefined;
        this.setState("running");
      } else if (this.lastError) {
        this.setState("error", this.lastError);
      } else if (this.client === client) {
        // Not stopped by us: the server exited and was not restarted.
        this.setState("error", "the server stopped; run \"pqls: Restart Server\"");
      } else {
        this.setState("stopped");
      }
    });
    this.setState("starting");
    try {
      await client.start();
    } catch (err) {
      this.startFailed = true;
      this.lastError = `pqls could not start (${server.command}): ${errorText(err)}`;
      this.output.error(this.lastError);
      this.setState("error", this.lastError);
      this.client = undefined;
      try {
        await client.dispose();
      } catch {
        // already dead
      }
      const choice = await vscode.window.showErrorMessage(
        `${this.lastError}. Set "pqls.serverPath" or put pqls on PATH.`,
        "Open Settings",
        "Show Log",
      );
      if (choice === "Open Settings") {
        await vscode.commands.executeCommand("workbench.action.openSettings", "pqls.serverPath");
      } else if (choice === "Show Log") {
        this.output.show(true);
      }
    }
  }

  private async stopClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) {
      return;
    }
    try {
      await client.stop(5000);
    } catch (err) {
      this.output.warn(`stopping pqls: ${errorText(err)}`);
    }
    try {
      await client.dispose();
    } catch {
      // ignore
    }
    this.setState("stopped");
  }

  private setState(state: ServerState, detail?: string): void {
    const features = this.featureDecision();
    this.lastMode = features.mode;
    this.status.text = statusText(state, features.mode);
    const where = this.server ? `\n${describeServer(this.server)}` : "";
    this.status.tooltip = `pqls: ${state}${detail ? `\n${detail}` : ""}${where}\nFeatures: ${features.mode} — ${features.reason}\nClick to show the log.`;
    this.status.backgroundColor =
      state === "error" ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
    this.status.show();
  }

  // -- explain --------------------------------------------------------------

  private async explainRule(arg?: unknown): Promise<void> {
    let code: string | undefined;
    if (typeof arg === "string" && isRuleCode(arg)) {
      code = arg.trim().toUpperCase();
    } else {
      code = await this.ruleUnderCursor();
    }
    if (!code) {
      const typed = await vscode.window.showInputBox({
        title: "pqls: explain rule",
        prompt: "No pqls diagnostic under the cursor. Rule id to explain:",
        placeHolder: "PQC030",
        validateInput: (s) => (isRuleCode(s) ? undefined : "expected a rule id such as PQC030"),
      });
      if (!typed) {
        return;
      }
      code = typed.trim().toUpperCase();
    }
    const server = this.server ?? this.resolveServer();
    let text: string;
    try {
      text = await runExplain(server.command, code);
    } catch (err) {
      const msg = `pqls explain ${code} failed: ${errorText(err)}`;
      this.output.error(msg);
      void vscode.window.showErrorMessage(msg);
      return;
    }
    const uri = vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: `/${code}.md` });
    this.explainDocs.set(uri.toString(), text);
    this.explainChanged.fire(uri);
    // The .md suffix makes VS Code open it as Markdown.
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }

  private async ruleUnderCursor(): Promise<string | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      return undefined;
    }
    const pos = editor.selection.active;
    const diags = vscode.languages
      .getDiagnostics(editor.document.uri)
      .filter((d) => d.range.contains(pos) || d.range.start.line === pos.line);
    // Prefer diagnostics that contain the cursor over those that only share the line.
    diags.sort((a, b) => Number(b.range.contains(pos)) - Number(a.range.contains(pos)));
    const codes = ruleCodesOf(diags.map((d) => ({ source: d.source, code: d.code })));
    if (codes.length <= 1) {
      return codes[0];
    }
    const items = codes.map((c) => {
      const d = diags.find((x) => ruleCodeFromDiagnostic({ source: x.source, code: x.code }) === c);
      return { label: c, description: d?.message };
    });
    const pick = await vscode.window.showQuickPick(items, { title: "pqls: explain which rule?" });
    return pick?.label;
  }
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function runExplain(command: string, code: string): Promise<string> {
  return new Promise((resolve, reject) => {
    cp.execFile(command, explainArgs(code), { timeout: 15000, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const extra = stderr.trim();
        reject(new Error(extra ? `${err.message}: ${extra}` : err.message));
        return;
      }
      resolve(stdout);
    });
  });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
