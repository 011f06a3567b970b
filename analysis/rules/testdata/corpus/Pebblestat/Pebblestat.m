[
	Version = "4.0.2",
	Requires = [ DataSource = "[1.0,)" ]
]
section Pebblestat;

// Open statistics API: no sign-in, datasets are public.
Host = "https://api.pebblestat.org";

[DataSource.Kind = "Pebblestat", Publish = "Pebblestat.Publish"]
shared Pebblestat.Datasets = Value.ReplaceType(DatasetsImpl, DatasetsType);

DatasetsType = type function (
	optional language as (type text meta [
		Documentation.FieldCaption = Extension.LoadString("LanguageCaption"),
		Documentation.AllowedValues = {"en", "fr", "de", "ja"}
	]))
	as table meta [
		Documentation.Name = Extension.LoadString("DatasetsName"),
		Documentation.LongDescription = Extension.LoadString("DatasetsDescription"),
		Documentation.Examples = {[
			Description = Extension.LoadString("DatasetsExample"),
			Code = "Pebblestat.Datasets(""fr"")",
			Result = "Les jeux de données, regroupés par thème"
		]}
	];

DatasetsImpl = (optional language as text) as table =>
	let
		lang = language ?? Text.Start(Culture.Current, 2),
		catalog = Json.Document(Web.Contents(Host, [RelativePath = "v1/catalog", Query = [lang = lang]])),
		themes = Table.FromRecords(catalog[themes], type table [id = text, title = text, datasets = list]),
		withData = Table.AddColumn(themes, "Data", each ThemeNavigation([datasets], lang), type table),
		withKind = Table.AddColumn(withData, "ItemKind", each "Folder", type text),
		withItemName = Table.AddColumn(withKind, "ItemName", each "Folder", type text),
		withLeaf = Table.AddColumn(withItemName, "IsLeaf", each false, type logical),
		calendar = #table({"id", "title", "Data", "ItemKind", "ItemName", "IsLeaf"}, {{"releases", Extension.LoadString("ReleaseCalendar"), ReleaseCalendar(), "Table", "Table", true}}),
		result = Table.SelectColumns(withLeaf, {"id", "title", "Data", "ItemKind", "ItemName", "IsLeaf"}) & calendar
	in
		Table.ToNavigationTable(result, {"id"}, "title", "Data", "ItemKind", "ItemName", "IsLeaf");

ThemeNavigation = (datasets as list, lang as text) as table =>
	let
		asTable = Table.FromList(datasets, Splitter.SplitByNothing(), type table [dataset = [code = text, label = text, ...]]),
		expanded = Table.ExpandRecordColumn(asTable, "dataset", {"code", "label"}),
		withData = Table.AddColumn(expanded, "Data", each Dataset([code], lang), type table),
		withKind = Table.AddColumn(withData, "ItemKind", each "Table", type text),
		withItemName = Table.AddColumn(withKind, "ItemName", each "Table", type text),
		withLeaf = Table.AddColumn(withItemName, "IsLeaf", each true, type logical)
	in
		Table.ToNavigationTable(withLeaf, {"code"}, "label", "Data", "ItemKind", "ItemName", "IsLeaf");

Dataset = (code as text, lang as text) as table =>
	let
		body = Json.Document(Web.Contents(Host, [
			RelativePath = "v1/datasets/" & Uri.EscapeDataString(code) & "/observations",
			Query = [lang = lang, format = "json-stat"]
		])),
		dims = body[dimension]? ?? [],
		values = body[value]? ?? {},
		// time periods arrive as "2023-Q4", "2024-M01" or "2024"
		periods = List.Transform(Record.FieldNames(dims[time]?[category]?[index]? ?? []), ParsePeriod),
		rows = List.Zip({periods, values}),
		result = #table(type table [Period = nullable date, Value = nullable number], rows)
	in
		result;

ParsePeriod = (p as text) as nullable date =>
	let
		year = Number.From(Text.Start(p, 4)),
		rest = Text.Middle(p, 5),
		parsed =
			if Text.Length(p) = 4 then #date(year, 1, 1)
			else if Text.StartsWith(rest, "Q") then #date(year, 3 * Number.From(Text.Middle(rest, 1)) - 2, 1)
			else if Text.StartsWith(rest, "M") then #date(year, Number.From(Text.Middle(rest, 1)), 1)
			else null
	in
		try parsed otherwise null;

// Release calendar: an Atom feed. The namespace is an identifier, not a URL to fetch.
AtomNamespace = "http://www.w3.org/2005/Atom";

ReleaseCalendar = () as table =>
	let
		feed = Xml.Tables(Web.Contents(Host, [RelativePath = "v1/releases.atom"])),
		entries = feed{[Name = "entry", Namespace = AtomNamespace]}?[Table]? ?? #table({"title", "updated"}, {}),
		typed = Table.TransformColumnTypes(Table.SelectColumns(entries, {"title", "updated"}, MissingField.UseNull), {{"updated", type datetimezone}})
	in
		typed;

// Metadata notes arrive as plain text with Windows line ends and tab
// separated "key<TAB>value" pairs; some values use a no-break space (U+00A0)
// as the thousands separator: "12 500".
ParseNotes = (notes as text) as record =>
	let
		#"Split Lines" = Text.Split(notes, "#(cr,lf)"),
		#"Non Empty" = List.Select(#"Split Lines", each _ <> "" and not Text.StartsWith(_, "#")),
		#"Key Values" = List.Transform(#"Non Empty", each Text.Split(_, "#(tab)")),
		#"As Record" = Record.FromList(List.Transform(#"Key Values", each Text.Replace(_{1}? ?? "", " ", "")), List.Transform(#"Key Values", each _{0}))
	in
		#"As Record";

// Values and types used by the statistics helpers (統計).
Defaults = [
	Scale = 1e3,
	Tolerance = .5,
	Cutoff = #datetimezone(2000, 1, 1, 0, 0, 0, 0, 0),
	DailyRefresh = #time(6, 30, 0),
	MaxAge = #duration(7, 0, 0, 0),
	CarriageReturn = "#(000D)",
	Labels = type {text},
	Missing = null
];

// Planned: seasonal adjustment.
SeasonallyAdjusted = (series as table) as table => ...;

// Recursion with @: flatten nested theme lists.
Flatten = (items as list) as list =>
	List.Combine(List.Transform(items, each if _ is list then @Flatten(_) else {_}));

// Shared by the kinds of the Pebblestat family of connectors.
CommonKind = [
	Authentication = [
		Implicit = []
	],
	Label = Extension.LoadString("DataSourceLabel")
];

Pebblestat = CommonKind & [
	TestConnection = (dataSourcePath) => { "Pebblestat.Datasets" }
];

Pebblestat.Publish = [
	Beta = false,
	Category = "Other",
	ButtonText = { Extension.LoadString("ButtonTitle"), Extension.LoadString("ButtonHelp") },
	LearnMoreUrl = "https://pebblestat.org/open-data/power-bi",
	SourceImage = Pebblestat.Icons,
	SourceTypeImage = Pebblestat.Icons
];

Pebblestat.Icons = [
	Icon16 = { Extension.Contents("Pebblestat16.png"), Extension.Contents("Pebblestat20.png"), Extension.Contents("Pebblestat24.png"), Extension.Contents("Pebblestat32.png") },
	Icon32 = { Extension.Contents("Pebblestat32.png"), Extension.Contents("Pebblestat40.png"), Extension.Contents("Pebblestat48.png"), Extension.Contents("Pebblestat64.png") }
];

Table.ToNavigationTable = (
	table as table,
	keyColumns as list,
	nameColumn as text,
	dataColumn as text,
	itemKindColumn as text,
	itemNameColumn as text,
	isLeafColumn as text
) as table =>
	let
		tableType = Value.Type(table),
		newTableType = Type.AddTableKey(tableType, keyColumns, true) meta [
			NavigationTable.NameColumn = nameColumn,
			NavigationTable.DataColumn = dataColumn,
			NavigationTable.ItemKindColumn = itemKindColumn,
			Preview.DelayColumn = itemNameColumn,
			NavigationTable.IsLeafColumn = isLeafColumn
		],
		navigationTable = Value.ReplaceType(table, newTableType)
	in
		navigationTable;