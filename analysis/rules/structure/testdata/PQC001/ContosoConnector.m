let // want "PQC001"
    Source = Json.Document(Web.Contents("https://api.contoso.com/items"))
in
    Table.FromRecords(Source[value])
