global using System;
global using System.Collections.Generic;
global using System.IO;
global using System.Linq;
global using AksEgress.Diagnostics;
global using System.Threading;
global using System.Threading.Tasks;
