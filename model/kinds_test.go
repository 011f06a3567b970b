package model

import (
	"fmt"
	"testing"
)

func TestFindForbidden(t *testing.T) {
	fw := []string{"Fabric", "Power BI", "Connector", "API"}
	cases := map[string]string{
		"BIConnector":                       "Connector",
		"HexagonSmartApi":                   "API",
		"ContosoAPI":                        "API",
		"ContosoForPowerBI":                 "Power BI",
		"Contoso.Power_BI":                  "Power BI",
		"DataFabric":                        "Fabric",
		"FabricSql":                         "Fabric",
		"APIClient":                         "API",
		"Rapid":                             "",
		"Capital":                           "",
		"Apigee":                            "",
		"Apis":                              "",
		"CDataConnectCloud":                 "",
		"BuildingConnected":                 "",
		"Connectivity":                      "",
		"PowerPlatform":                     "",
		"EmigoDataSourceConnector.Contents": "Connector",
		"ContosoPBI":                        "Power BI",
		"Café.API":                          "API",
		"Ünicode_Fabric":                    "Fabric",
	}
	for name, want := range cases {
		got := ""
		if m := FindForbidden(name, fw); len(m) > 0 {
			got = m[0].Word
		}
		if got != want {
			t.Errorf("%s: got %q want %q (words %v)", name, got, want, fmt.Sprint(SplitWords(name)))
		}
	}
}

// TestForbiddenPrefilter checks that the substring test that lets most
// names skip word splitting never hides a match: Find with it and without
// it agree on names made of pieces of the forbidden words.
func TestForbiddenPrefilter(t *testing.T) {
	fw := []string{"Fabric", "Power BI", "Connector", "API"}
	pieces := []string{"Power", "power", "BI", "Bi", "PBI", "Api", "API", "api", "Connector", "connect", "Fab", "ric", "Fabric", ".", "_", "Contoso", "X", "1", "é"}
	with := NewForbidden(fw)
	without := NewForbidden(fw)
	without.nonASCII = true // as if it could not tell: always split
	for i := 0; i < 20000; i++ {
		name := ""
		for n := i; ; n /= len(pieces) {
			name += pieces[n%len(pieces)]
			if n < len(pieces) {
				break
			}
		}
		a, b := fmt.Sprint(with.Find(name)), fmt.Sprint(without.Find(name))
		if a != b {
			t.Fatalf("%q: with the prefilter %s, without %s", name, a, b)
		}
	}
}
