// A stand-in for the gateway's worker child: FAKE_WORKER=ready reports ready and stays up until
// killed; FAKE_WORKER=crash exits with code 3 at once.
if (process.env.FAKE_WORKER === 'crash') process.exit(3);
process.send('kiungo:worker-ready');
process.on('disconnect', () => process.exit(0));
setInterval(() => undefined, 60_000);
