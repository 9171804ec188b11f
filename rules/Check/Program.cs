System.Console.WriteLine("rules check");
