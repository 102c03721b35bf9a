// The session as a timeline of phases, built from the day the API sends: for each stretch and
// side that still has sets to do, the whole move on a loop, the set-up steps, then each set
// (get ready, hold, and a rest with the between-sets text before the next one). Every phase
// has its length, so the player walks it with no tap; each hold knows the cue that ends it.
"use strict";

(() => {
  const SECONDS = {
    move: 7, // about one loop of the demonstration
    step: 7, // a set-up step on the first side of a stretch: time to read it and move
    stepAgain: 4, // the same step mirrored, on the second side
    ready: 5,
    rest: 8, // "two easy breaths" between sets
  };

  // `again`: every set, even those already logged today (the page offers it once the day is
  // done; logging a set twice stores it once).
  function build(day, again) {
    const logged = new Set(day.progress.logged.map(([stretch, side, number]) => `${stretch}/${side}/${number}`));
    const phases = [];
    for (const stretch of day.stretches) {
      let sideOfStretch = 0;
      for (const side of stretch.sides) {
        const numbers = [];
        for (let number = 1; number <= day.sets_per_side; number += 1) {
          if (again || !logged.has(`${stretch.key}/${side.side}/${number}`)) numbers.push(number);
        }
        if (!numbers.length) continue;
        const where = { stretch, side };
        phases.push({ ...where, kind: "move", seconds: SECONDS.move, title: stretch.title, text: side.note, video: side.animation });
        side.steps.forEach((step, index) => {
          phases.push({
            ...where,
            kind: "step",
            seconds: sideOfStretch === 0 ? SECONDS.step : SECONDS.stepAgain,
            step: index + 1,
            steps: side.steps.length,
            title: step.title,
            text: step.text,
            picture: step.picture,
          });
        });
        numbers.forEach((number, index) => {
          const hold = { ...where, set: number, title: side.hold.title, picture: side.hold.picture };
          phases.push({ ...hold, kind: "ready", seconds: SECONDS.ready, text: side.hold.text });
          phases.push({
            ...hold,
            kind: "hold",
            seconds: day.hold_seconds,
            text: side.hold.text,
            log: { stretch: stretch.key, side: side.side, number },
          });
          if (index < numbers.length - 1) {
            phases.push({ ...hold, kind: "rest", seconds: SECONDS.rest, text: side.between });
          }
        });
        sideOfStretch += 1;
      }
    }
    // A hold ends with "done" before a rest, "switch" before the next side or stretch, and
    // "finish" at the very end.
    phases.forEach((phase, index) => {
      if (phase.kind !== "hold") return;
      const next = phases[index + 1];
      phase.endCue = !next ? "finish" : next.kind === "move" ? "switch" : "done";
    });
    return phases;
  }

  // The cues inside a phase, as [ms from its start, cue]: the hold's halfway and 3-2-1.
  function cuesWithin(phase) {
    if (phase.kind !== "hold") return [];
    const cues = [[phase.seconds * 500, "halfway"]];
    for (let left = 3; left >= 1; left -= 1) {
      if (phase.seconds > left * 2) cues.push([(phase.seconds - left) * 1000, "count"]);
    }
    return cues;
  }

  // The cue a phase starts with.
  function startCue(phase) {
    return { ready: "ready", hold: "go" }[phase.kind] || null;
  }

  function minutes(phases) {
    const seconds = phases.reduce((sum, phase) => sum + phase.seconds, 0);
    return Math.max(1, Math.round(seconds / 60));
  }

  window.LimberTimeline = { build, cuesWithin, startCue, minutes, SECONDS };
})();
