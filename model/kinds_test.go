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
