module example.com/advisor/samples/basic

go 1.26
