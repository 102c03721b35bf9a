// Times on the chat page. Every date the page shows is a Unix time from the fake Telegram,
// which dates messages by the bot's clock (the one the clock panel moves). It is shown in the
// chat user's time zone, the one they gave the bot, 24-hour, in the page's English; until
// they give one, in UTC, which is what the bot itself assumes for them (coach/zones.py).
"use strict";

window.LimberTimes = (() => {
  // How the bot stores a zone given as an offset ("UTC+05:30"); anything else is an IANA name.
  const FIXED_OFFSET = /^UTC([+-])(\d{2}):(\d{2})$/;
  const formats = new Map();

  // A zone to show times in: its name for people, and how to compute local times in it (an
  // IANA name for Intl, or UTC shifted by a fixed number of seconds).
  function zone(stored) {
    const label = stored || "UTC";
    const fixed = FIXED_OFFSET.exec(label);
    if (fixed) {
      const minutes = Number(fixed[2]) * 60 + Number(fixed[3]);
      return { label, intl: "UTC", shift: (fixed[1] === "-" ? -60 : 60) * minutes };
    }
    try {
      new Intl.DateTimeFormat("en-GB", { timeZone: label });
      return { label, intl: label, shift: 0 };
    } catch (e) {
      return { label: "UTC", intl: "UTC", shift: 0 }; // a name this browser does not know
    }
  }

  // The page's own English names, not the browser's: the same words in every browser.
  const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  const short = (name) => name.slice(0, 3);
  const two = (number) => String(number).padStart(2, "0");

  function numbers(intl) {
    if (!formats.has(intl)) {
      formats.set(intl, new Intl.DateTimeFormat("en-US", {
        timeZone: intl,
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        hourCycle: "h23",
      }));
    }
    return formats.get(intl);
  }

  // The local calendar fields of a Unix time in a zone: { year, month (1-12), day, weekday
  // (0 = Sunday), hour, minute }.
  function local(unix, where) {
    const fields = {};
    const date = new Date((unix + where.shift) * 1000);
    for (const part of numbers(where.intl).formatToParts(date)) {
      if (part.type !== "literal") fields[part.type] = Number(part.value);
    }
    fields.weekday = new Date(Date.UTC(fields.year, fields.month - 1, fields.day)).getUTCDay();
    return fields;
  }

  // "07:30": a message's time, as Telegram stamps it.
  function time(unix, where) {
    const t = local(unix, where);
    return `${two(t.hour)}:${two(t.minute)}`;
  }

  // "2026-11-30": equal for two times on the same local day.
  function dayKey(unix, where) {
    const t = local(unix, where);
    return `${t.year}-${two(t.month)}-${two(t.day)}`;
  }

  // "Monday 30 November": the separator where the chat's day changes.
  function dayLabel(unix, where) {
    const t = local(unix, where);
    return `${WEEKDAYS[t.weekday]} ${t.day} ${MONTHS[t.month - 1]}`;
  }

  // "Mon 30 Nov 07:30": the bot's clock in the clock panel.
  function clockLabel(unix, where) {
    const t = local(unix, where);
    const day = `${short(WEEKDAYS[t.weekday])} ${t.day} ${short(MONTHS[t.month - 1])}`;
    return `${day} ${two(t.hour)}:${two(t.minute)}`;
  }

  return { zone, time, dayKey, dayLabel, clockLabel };
})();
