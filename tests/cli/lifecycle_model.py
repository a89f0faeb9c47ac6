"""The lifecycle rule of docs/sorting.md (dlt/lifecycle.hpp's EcuLifecycles), restated for
the tests' references: one ECU's messages in input order -> the index of each one's
lifecycle."""

MATCH_US = 1000000      # a boot estimate within this of a lifecycle's anchor is of it
MIN_FALL = 1000         # 0.1 s: the least fall of device time a boot estimate may call a restart
CONTINUITY = 100000     # 10 s: how far device time may run ahead and still go on
MATCH_WINDOW = 256      # the latest lifecycles a message may go back to
MAX_DELAY_US = 30000000  # how late a message may arrive for a lifecycle that ended


def tolerance(mx):
    return min(mx // 2, 100000)


class EcuLifecycles:
    def __init__(self):
        self.all = []       # dicts: anchor, min, max, boot_at_max (None where unknown)
        self.current = 0

    def _begin(self):
        self.all.append({"anchor": None, "max_boot": None, "min": None, "max": None, "boot_at_max": None})
        self.current = len(self.all) - 1

    def _switch(self, boot, device):
        if boot is None:
            return False
        first = max(0, len(self.all) - MATCH_WINDOW)
        best = None
        for i in range(first, len(self.all)):
            a = self.all[i]["anchor"]
            if a is None or abs(boot - a) > MATCH_US:
                continue
            if best is None or abs(boot - a) < abs(boot - self.all[best]["anchor"]):
                best = i
        if best is None:
            for i in range(first, len(self.all)):
                lc = self.all[i]
                if (lc["anchor"] is not None and lc["max"] is not None and 0 < boot - lc["anchor"] <= MAX_DELAY_US
                        and device * 100 + MATCH_US >= lc["max"] * 100 and device - lc["max"] <= CONTINUITY):
                    best = i
        if best is None:
            return False
        self.current = best
        return True

    def observe(self, time_us, device):
        """`time_us`: storage/capture time or None; `device`: device time (0.1 ms) or None.
        Returns the index of the message's lifecycle."""
        boot = time_us - device * 100 if time_us is not None and device is not None else None
        if not self.all:
            self._begin()
        elif device is not None:
            c = self.all[self.current]
            if c["max"] is not None and device < c["max"]:
                fall = c["max"] - device
                restarted = fall > tolerance(c["max"])
                if boot is not None and c["anchor"] is not None:
                    above, uptime = boot - c["anchor"], c["max"] * 100
                    restarted = (above < -MATCH_US or
                                 (fall > MIN_FALL and above > max(uptime // 2, c["max_boot"] - c["anchor"] + MATCH_US)) or
                                 (restarted and above > uptime * 3 // 4))
                if restarted and not self._switch(boot, device):
                    self._begin()
            elif (boot is not None and c["anchor"] is not None and abs(boot - c["anchor"]) > MATCH_US and
                  not self._switch(boot, device) and not (c["max"] is not None and device - c["max"] <= CONTINUITY)):
                self._begin()
        lc = self.all[self.current]
        if boot is not None and (lc["anchor"] is None or boot < lc["anchor"]):
            lc["anchor"] = boot
        if boot is not None and (lc["max_boot"] is None or boot > lc["max_boot"]):
            lc["max_boot"] = boot
        if device is not None:
            if lc["min"] is None or device < lc["min"]:
                lc["min"] = device
            if lc["max"] is None or device >= lc["max"]:
                lc["max"], lc["boot_at_max"] = device, boot
        return self.current
