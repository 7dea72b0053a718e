using AksEgress.Emulation;

// The emulator as a program, for tests that run in another process (Pester):
//   AksEgress.ArmEmulator --pem <file> --url-file <file>
// writes its certificate (PEM, to be trusted with SSL_CERT_FILE by the test process only) and its URL, then serves
// until it is stopped.
string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var pem = Arg("--pem") ?? throw new ArgumentException("--pem <file> is required.");
var urlFile = Arg("--url-file") ?? throw new ArgumentException("--url-file <file> is required.");

await using var emulator = await ArmEmulator.StartAsync();
File.WriteAllText(pem, emulator.Certificate.ExportCertificatePem());
File.WriteAllText(urlFile + ".tmp", emulator.Endpoint.ToString());
File.Move(urlFile + ".tmp", urlFile, overwrite: true); // the URL file appears only once the emulator is listening
await emulator.WaitForShutdownAsync();
