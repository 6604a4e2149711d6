// Preloaded (`node --import`) into every service process a test spawns: the process ends itself
// when the test process that started it is gone, so a crashed or killed test runner never leaves
// gateways, consumers or projectors behind. The parent's pid comes in SHOPFLOOR_TEST_PARENT_PID.

const parentPid = Number(process.env.SHOPFLOOR_TEST_PARENT_PID);

function parentAlive(): boolean {
  // Reparented (to init or a subreaper): the parent has exited, whatever its pid now names.
  if (process.ppid !== parentPid) return false;
  try {
    process.kill(parentPid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

if (Number.isInteger(parentPid) && parentPid > 0) {
  const timer = setInterval(() => {
    if (parentAlive()) return;
    clearInterval(timer);
    process.stderr.write(`[watchdog] test process ${parentPid} is gone; stopping ${process.pid}\n`);
    // The service's own SIGTERM handler shuts it down; whatever hangs is killed a little later.
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), 10_000).unref();
    process.kill(process.pid, 'SIGTERM');
  }, 500);
  timer.unref();
}
