// @ts-check
// The shapes of the records the modules pass around, for the type checker
// only (make lint): nothing here runs, and no page loads this file. Modules
// name them as `import("#types").SessionRecord` (jsconfig.json maps "#types"
// here), so a module keeps its types wherever it lives under static/js/.

// --- The routine, as GET /api/v1/routine serves it (server/site/content.py) ---

/**
 * @typedef {object} Step
 * @property {"setup" | "rep"} kind
 * @property {string} text
 * @property {string} cue
 * @property {"inhale" | "exhale" | null} breath
 * @property {number | null} hold_seconds
 * @property {number} seconds
 */

/** @typedef {{min: number, max: number}} Range */

/**
 * @typedef {object} Variation
 * @property {string} id
 * @property {string} name
 * @property {"easier" | "harder"} level
 * @property {string} text
 * @property {string} posture
 */

/**
 * @typedef {object} Exercise
 * @property {string} id
 * @property {string} name
 * @property {string} summary
 * @property {string} posture
 * @property {string} key_cue
 * @property {Step[]} steps
 * @property {Range} reps
 * @property {"none" | "each" | "alternate"} sides
 * @property {{left: string, right: string} | null} side_names
 * @property {Range | null} hold_seconds
 * @property {Variation[]} variations
 * @property {string[]} cautions
 */

/**
 * @typedef {object} Routine
 * @property {string} id
 * @property {string} title
 * @property {Exercise[]} exercises
 * @property {{get_ready_seconds: number, side_switch_seconds: number, rest_seconds: number}} pacing
 * @property {number} estimated_seconds
 */

/**
 * What the player runs, by exercise id (plan.js): the reps (per side), the
 * hold and the variation.
 * @typedef {Record<string, {reps: number, hold_seconds?: number | null, variation_id?: string | null}>} Plan
 */

// --- A workout on the mat (pacing.js) ---

/** @typedef {"left" | "right"} Side */

/**
 * One phase of the timeline: a rest, a get-ready, a setup step, a move or
 * hold of a rep, a switch of sides.
 * @typedef {object} Phase
 * @property {number} exercise the exercise's index in the routine
 * @property {string} exerciseId
 * @property {"rest" | "get-ready" | "setup" | "move" | "hold" | "switch"} kind
 * @property {number} ms
 * @property {string} text
 * @property {string} cue
 * @property {"inhale" | "exhale" | null} [breath]
 * @property {number} [step] the rep step's index
 * @property {number} [rep]
 * @property {number} [reps]
 * @property {Side | null} [side]
 * @property {string | null} [sideName]
 * @property {boolean} [repStart]
 * @property {boolean} [repEnd]
 * @property {boolean} [positionChange]
 */

/**
 * A workout in progress: plain data, kept in meta (PROGRESS_KEY) as it goes.
 * @typedef {object} WorkoutState
 * @property {string} id
 * @property {string} startedAt
 * @property {string} tempo
 * @property {number | null} painBefore
 * @property {Plan | null} plan
 * @property {number | null} msPerWord
 * @property {number} index the current phase
 * @property {number} elapsedMs in the current phase
 * @property {boolean} paused
 * @property {"running" | "finished"} status
 * @property {string[]} done the reps done, by repKey
 * @property {string[]} skipped exercise ids
 * @property {string[]} hurt exercise ids
 * @property {Record<string, string>} variations by exercise id
 * @property {string | null} endedAt
 * @property {string} [updatedAt]
 */

/**
 * @typedef {{type: "phase", phase: Phase} | {type: "count", seconds: number, phase: Phase}
 *   | {type: "finished"}} WorkoutEvent
 */

// --- The exercise drawings (figures.js, poses.js) ---

/**
 * A body in a figure seen from the side: hip at [x, y], the back and chest at
 * absolute angles, each limb's [upper, lower] angles.
 * @typedef {{view?: undefined, hip: number[], torso: number, chest: number, arm: number[], arm2: number[],
 *   leg: number[], leg2: number[]}} SidePose
 */

/** @typedef {SidePose | {view: "feet", roll: number}} Pose seen from the feet: the knees tipped `roll` degrees */

/** @typedef {Pose & {alt: string, moving?: string[]}} FigurePose a pose and its text alternative */

/**
 * An exercise's drawing: its props, start and end poses, and what each rep step
 * does with them.
 * @typedef {{props: string[], start: FigurePose, end: FigurePose, steps: ("rise" | "still" | "return")[]}} Figure
 */

/** @typedef {[string, Record<string, string | number>]} Shape an SVG element: tag and attributes */

/** @typedef {{from: number, to: number}} Motion fractions of the way from start to end pose */

/**
 * What the stage's figure shows (stage-figure.js).
 * @typedef {Motion & {exerciseId: string, variationId: string | null, side: Side | null,
 *   elapsedMs: number, ms: number, paused: boolean}} FigureState
 */

/**
 * What the player's stage shows of the current phase (player.js to player-view.js).
 * @typedef {{position: string, name: string, figure: FigureState, phase: string, seconds: string,
 *   counter: string, text: string, variation: string, paused: boolean, resting: boolean, progress: number}} Stage
 */

// --- Session logs: `data` v1 (server/sync/records.py) and the record that keeps it ---

/** @typedef {number | {left: number, right: number}} Reps */

/** @typedef {"easy" | "ok" | "hard" | "painful"} Rating how an exercise felt */

/**
 * One exercise of a log.
 * @typedef {object} ExerciseLog
 * @property {string} exercise_id
 * @property {Reps} reps
 * @property {boolean} skipped
 * @property {string | null} [variation_id]
 * @property {Rating | null} [rating]
 * @property {boolean | null} [hurt]
 * @property {{reps: number, hold_seconds?: number | null} | null} [target] reps per side
 */

/**
 * @typedef {object} SessionData
 * @property {string} routine_id
 * @property {string} started_at
 * @property {string | null} ended_at
 * @property {number | null} pain_before
 * @property {number | null} pain_after
 * @property {string} notes
 * @property {ExerciseLog[]} exercises
 */

/**
 * A synced record as the device keeps it (ARCHITECTURE §5). `base` is the data last
 * agreed with the server (what a conflict merges against).
 * @template D
 * @typedef {object} StoredRecord
 * @property {string} id
 * @property {string} type "session" or "settings"
 * @property {number} version the server's version; 0 until first synced
 * @property {boolean} dirty changed here since the last sync
 * @property {boolean} deleted
 * @property {D | null} data null once deleted
 * @property {D | null} [base]
 * @property {string} updated_at
 * @property {string} [origin] the id of the device that wrote it
 */

/**
 * A session log: keyed in the started_at index by its start in UTC.
 * @typedef {StoredRecord<SessionData> & {type: "session", started_at: string}} SessionRecord
 */

// --- Settings: one synced record (settings-store.js) ---

/**
 * @typedef {object} ReminderSchedule
 * @property {string[]} days "mon" to "sun"
 * @property {string} time "07:30"
 * @property {string} time_zone an IANA zone
 */

/**
 * @typedef {object} Settings
 * @property {number} weekly_goal
 * @property {boolean} voice
 * @property {boolean} beeps
 * @property {boolean} vibration
 * @property {"slower" | "normal" | "faster"} tempo
 * @property {ReminderSchedule | null} [reminders]
 * @property {string | null} [language]
 * @property {SafetyCheck | null} [safety]
 */

/**
 * The safety check's last answers (safety/safety.js): when, the warning signs
 * answered yes, and when a health professional cleared the user to exercise.
 * @typedef {object} SafetyCheck
 * @property {string} answered_at
 * @property {string[]} yes
 * @property {string | null} [cleared_at]
 */

/** @typedef {StoredRecord<Partial<Settings>> & {type: "settings"}} SettingsRecord */

/** @typedef {SessionRecord | SettingsRecord} AnyRecord */

/**
 * What the writes of logs tell the kept tally (progress-mark.js): the logs it
 * leaves out start at `before` (null: it is stale); `generation` counts the writes.
 * @typedef {{before: string | null, generation: number}} ProgressMark
 */

// --- Progress: the tally of the logs (progress/, kept by progress-store.js) ---

/**
 * @typedef {object} Caution pain says to stop
 * @property {"high" | "rising"} reason
 * @property {number} pain
 * @property {string} started_at
 */

/**
 * An exercise's next target, and why (progress.js).
 * @typedef {object} Target
 * @property {number} reps
 * @property {number | null} hold
 * @property {string | null} variation
 * @property {{kind: string, why?: string, from?: number | null}} reason
 * @property {{direction: "easier" | "harder", variation: string | null} | null} offer
 */

/** A target as the tally keeps it: with the sessions in a row at the top, with little pain.
 * @typedef {Target & {calmAtTop: number}} KeptTarget */

/** The caution state a tally folds logs through (plan-rules.js cautionStep).
 * @typedef {{caution: Caution | null, rising: number}} Health */

/**
 * @typedef {object} Tally
 * @property {number} count logs folded in
 * @property {Record<string, number>} days counting sessions per local day
 * @property {string | null} first the first day with a counting session
 * @property {Health} health
 * @property {[string, string][]} spans closed caution spans
 * @property {string | null} openFrom when the caution still on began
 * @property {{when: string, before: number | null, after: number | null}[]} pain the last rated logs
 * @property {{routine: string, resetAt: string | null, after: boolean,
 *   targets: Record<string, KeptTarget>} | null} plan
 */

/**
 * The tally of the logs before `before`, as progress-store.js keeps it in meta.
 * @typedef {object} KeptTally
 * @property {number} version
 * @property {string} zone
 * @property {string} routine the routine's shape
 * @property {string | null} resetAt
 * @property {string} before
 * @property {Tally} tally
 */

// --- Sync ---

/**
 * A change waiting in the outbox: one per record, the newest.
 * @typedef {object} OutboxEntry
 * @property {string} id
 * @property {string} type
 * @property {number} base_version
 * @property {boolean} deleted
 * @property {unknown} data
 * @property {string} queued_at
 * @property {{code: string, message: string}} [rejected] why the server refused it
 */

/**
 * The sync state in the meta store ("sync"); no token while sync is off.
 * @typedef {object} SyncState
 * @property {string} [token]
 * @property {string} [accountId]
 * @property {string} [deviceId]
 * @property {string} [deviceName]
 * @property {string | null} [cursor]
 * @property {boolean} [removed] this device was removed from its account
 * @property {string | null} [lastSyncAt]
 * @property {string | null} [lastError]
 */

/**
 * What the sync indicator shows (sync.js onStatus).
 * @typedef {object} SyncStatus
 * @property {"off" | "removed" | "synced" | "waiting" | "offline" | "problem"} kind
 * @property {number} waiting changes in the outbox
 * @property {string} [message]
 * @property {string | null} [lastSyncAt]
 */

/** The server's push limits (GET /api/v1/config).
 * @typedef {{max_changes_per_push: number, max_body_bytes: number}} Limits */

/**
 * A record as the server sends it: a pulled change, or the server's side of a
 * conflict. `data` is a session's or the settings' (null once deleted).
 * @typedef {object} ServerRecord
 * @property {string} id
 * @property {string} type
 * @property {number} version
 * @property {boolean} deleted
 * @property {(Record<string, unknown> & {started_at?: string}) | null} data
 * @property {string} [device_id] the device that wrote it
 * @property {string} [server_updated_at]
 */

/** The server's answer to one pushed change.
 * @typedef {{id?: string, status: "applied" | "duplicate" | "conflict" | "rejected", version: number,
 *   server: ServerRecord, error?: {code?: string, message?: string}}} PushResult */

/** A device of the account, as GET /api/v1/devices lists it.
 * @typedef {{device_id: string, name: string, current: boolean}} Device */

export {};
