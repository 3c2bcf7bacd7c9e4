// Tables added by the signals stage's migrations. Merged into Database in database.ts.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SignalTables {}
