// Walks the timeline: one timer at a time, set for the next moment something happens (a whole
// second of the countdown, a cue, the phase's end), so cues land on time and a paused session
// costs nothing. Time is Date.now(); pausing keeps what had elapsed of the phase.
"use strict";

(() => {
  const { cuesWithin, startCue } = window.LimberTimeline;

  class Player {
    // hooks: phase(phase, index), tick(msLeft, phase), cue(name), setDone(phase), end()
    constructor(phases, hooks) {
      this.phases = phases;
      this.hooks = hooks;
      this.index = -1;
      this.before = 0; // ms of the phase elapsed before the current run (pauses)
      this.since = null; // Date.now() when the current run began; null while paused
      this.paused = false;
      this.fired = 0; // cues within the phase already played
      this.timer = null;
    }

    get phase() {
      return this.phases[this.index] || null;
    }

    elapsed() {
      return this.before + (this.since === null ? 0 : Date.now() - this.since);
    }

    left() {
      return this.phase ? this.phase.seconds * 1000 - this.elapsed() : 0;
    }

    start() {
      this.enter(0, true);
    }

    enter(index, withCue) {
      clearTimeout(this.timer);
      if (index >= this.phases.length) {
        this.index = this.phases.length;
        this.hooks.end();
        return;
      }
      this.index = Math.max(0, index);
      this.before = 0;
      this.since = this.paused ? null : Date.now();
      this.fired = 0;
      const phase = this.phase;
      this.hooks.phase(phase, this.index);
      const cue = startCue(phase);
      if (cue && withCue) this.hooks.cue(cue);
      this.hooks.tick(this.left(), phase);
      this.schedule();
    }

    schedule() {
      clearTimeout(this.timer);
      if (this.paused || !this.phase) return;
      const elapsed = this.elapsed();
      const total = this.phase.seconds * 1000;
      const cues = cuesWithin(this.phase);
      const moments = [total];
      if (this.fired < cues.length) moments.push(cues[this.fired][0]);
      const left = total - elapsed;
      moments.push(elapsed + (left % 1000 || 1000)); // the next whole second on the countdown
      const next = Math.min(...moments.filter((at) => at > elapsed));
      this.timer = setTimeout(() => this.tick(), Math.max(0, next - elapsed));
    }

    tick() {
      const phase = this.phase;
      if (!phase || this.paused) return;
      const elapsed = this.elapsed();
      const cues = cuesWithin(phase);
      while (this.fired < cues.length && cues[this.fired][0] <= elapsed) {
        this.hooks.cue(cues[this.fired][1]);
        this.fired += 1;
      }
      if (elapsed >= phase.seconds * 1000) {
        this.complete();
        return;
      }
      this.hooks.tick(this.left(), phase);
      this.schedule();
    }

    // The phase is over (its time ran out, or the user said a hold was done early).
    complete() {
      const phase = this.phase;
      if (phase.kind === "hold") {
        this.hooks.setDone(phase);
        this.hooks.cue(phase.endCue);
      }
      this.enter(this.index + 1, true);
    }

    pause() {
      if (this.paused) return;
      this.before = this.elapsed();
      this.since = null;
      this.paused = true;
      clearTimeout(this.timer);
    }

    resume() {
      if (!this.paused) return;
      this.paused = false;
      this.since = Date.now();
      this.schedule();
    }

    // Skip: on to the next phase; a hold skipped is a hold done early, and is logged.
    skip() {
      if (!this.phase) return;
      if (this.phase.kind === "hold") this.complete();
      else this.enter(this.index + 1, true);
    }

    // Back: the start of this phase, or the one before when this one has only just begun.
    back() {
      if (!this.phase) return;
      this.enter(this.elapsed() > 2000 ? this.index : this.index - 1, true);
    }
  }

  window.LimberPlayer = { Player };
})();
