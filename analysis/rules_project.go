package analysis

// projectRules are the rules about project files, resources, icons,
// navigation tables and the remaining SDK conventions.
var projectRules = []*Analyzer{
	PQC020,
	PQC021,
	PQC022,
	PQC023,
	PQC024,
	PQC026,
	PQC037,
	PQC038,
	PQC039,
	PQC056,
	PQC057,
	PQC059,
	PQC060,
	PQC061,
	PQC062,
	PQC063,
	PQC065,
	PQC069,
}
