[Version="1.0.0"]
section Loose;
shared Loose.Contents = 1;
