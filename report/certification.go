package report

// A requirement is one item of the connector-certification page, in our
// words, with the rules that check it. The HTML report's readiness summary
// lists them: met when none of its rules has a finding, violated when one
// has, and, for what no rule can settle (Import and DirectQuery giving the
// same results, whether a credential is needed at all), the question a
// reviewer will ask.
type requirement struct {
	Area  string   // the part of the certification page: Must, Should, Security
	Text  string   // what the connector has to do
	Rules []string // the rules that check it
	// Question is what a reviewer asks about what the rules cannot decide;
	// "" when the rules settle the requirement.
	Question string
}

// certificationRequirements follow the certification page's lists: the
// features and style a connector must and should have, then its security
// considerations. Rules not named here appear under "Other SDK guidance".
var certificationRequirements = []requirement{
	{Area: "Must", Text: "The connector is a section document.", Rules: []string{"PQC001"}},
	{Area: "Must", Text: "A version adornment, major.minor.patch, stands above the section.", Rules: []string{"PQC002", "PQC003"}},
	{Area: "Must", Text: "Exported functions carry documentation metadata.", Rules: []string{"PQC004", "PQC063"}},
	{Area: "Must", Text: "Each data source kind has a working TestConnection handler.", Rules: []string{"PQC005", "PQC006"}},
	{Area: "Must", Text: "Functions are named Kind.FunctionName, with a name that suits the domain and without the forbidden words.",
		Rules: []string{"PQC007", "PQC008", "PQC009", "PQC066"}},
	{Area: "Must", Text: "Data comes back as tables with columns, not as cubes.", Rules: []string{"PQC010"},
		Question: "Does every data-source function return a relational table, including in error and empty cases?"},
	{Area: "Must", Text: "Import and DirectQuery return the same results.", Rules: []string{"PQC011"},
		Question: "Have you run the same queries in Import and in DirectQuery mode and compared the results?"},
	{Area: "Must", Text: "The Publish record sets Beta = true for the first release.", Rules: []string{"PQC012"}},
	{Area: "Should", Text: "The connector has icons in the expected sizes, packaged with it.", Rules: []string{"PQC020", "PQC021", "PQC022"}},
	{Area: "Should", Text: "The connector offers a navigation table.", Rules: []string{"PQC023", "PQC059", "PQC069"}},
	{Area: "Should", Text: "Text for people lives in resources.resx; URLs and settings live in the code.",
		Rules: []string{"PQC024", "PQC025", "PQC026"}},
	{Area: "Security", Text: "Credentials are used only where needed, and sent only to the service.", Rules: []string{"PQC034", "PQC051", "PQC055"},
		Question: "Why does the connector need the credential, and to which hosts is it sent?"},
	{Area: "Security", Text: "Requests that carry credentials go over HTTPS.", Rules: []string{"PQC031", "PQC032", "PQC033"}},
	{Area: "Security", Text: "A credential on a GET request travels in CredentialQuery (better: a header or a POST body), never in the URL.",
		Rules:    []string{"PQC030", "PQC035", "PQC043", "PQC064", "PQC068"},
		Question: "Could the requests that carry credentials be POST requests?"},
	{Area: "Security", Text: "Traces hold no personal data, secrets or large values.", Rules: []string{"PQC036", "PQC039"},
		Question: "What does each Diagnostics.Trace call write, and could it include personal data?"},
	{Area: "Security", Text: "Tracing sits behind a flag that is off in the submitted connector.", Rules: []string{"PQC037", "PQC038"}},
	{Area: "Security", Text: "Expression.Evaluate never runs text that users or web responses supply.", Rules: []string{"PQC040", "PQC041", "PQC042"},
		Question: "Where does each evaluated expression come from, and can it reach Extension.CurrentCredential?"},
}
