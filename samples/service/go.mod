module example.com/advisor/samples/service

go 1.26
