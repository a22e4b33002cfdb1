/**
 * PGlite with named prepared statements: what postgres.js does on a server (`prepare: true`), for the embedded
 * database.
 *
 * PGlite's own `query` sends Parse, Describe, Bind, Describe, Execute and Sync as six calls into its WASM
 * PostgreSQL, and PostgreSQL parses, analyses and plans the statement again on every call. The portal runs a few
 * hundred statement texts over and over (Drizzle builds the same text for every load of a page), so this client
 * parses each text once into a named statement (Parse + Describe + Sync, one call) and then runs every call as one
 * Bind + Execute + Sync. Statements then get PostgreSQL's plan cache, as they do on the server. At size S a simple
 * keyset read went from ~520 to ~370 µs.
 *
 * Only PGlite's public API is used: its exclusive locks (`_runExclusiveTransaction` is what its own `query` takes,
 * `runExclusive` what its transactions' queries take), `execProtocolStream`, the wire-protocol serializer and
 * `parseResults`; values are serialised and rows parsed with PGlite's own serializers and parsers, so rows are
 * the same as `query` gives (`db/pglite-prepared.test.ts`). Written here because no library offers it: PGlite has
 * no statement cache, and Drizzle's PGlite driver only calls `query` and `transaction`.
 */
import { parse, protocol, type PGlite, type QueryOptions, type Results, type Transaction } from "@electric-sql/pglite";

type Message = Awaited<ReturnType<PGlite["execProtocolStream"]>>[number];
type Statement = { name: string; paramTypes: number[]; rowDescription: Message | undefined };

/** The query and transaction surface Drizzle's PGlite driver uses. */
export type PgliteQueries = Pick<PGlite, "query" | "transaction">;

/** PostgreSQL's error when a cached statement's result columns changed under it (DDL since it was parsed). */
const CACHED_PLAN_CHANGED = "0A000";

const { serialize } = protocol;

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function withQuery(err: unknown, query: string, params: unknown[], options: QueryOptions | undefined): unknown {
  // as PGlite's own query does (`makePGliteError`): the error says which statement failed
  if (err && typeof err === "object" && "severity" in err) Object.assign(err, { query, params, queryOptions: options });
  return err;
}

const made = new WeakMap<PGlite, PreparedPglite>();

export class PreparedPglite implements PgliteQueries {
  /** Statement per SQL text, least recently used first. */
  readonly #statements = new Map<string, Statement>();
  /** Statements to close (DEALLOCATE) with the next Parse: evicted, or their columns changed. */
  #toClose: string[] = [];
  #made = 0;

  /** The one statement cache of a PGlite instance (statement names are per database session). */
  static of(pg: PGlite, capacity?: number): PreparedPglite {
    let prepared = made.get(pg);
    if (!prepared) made.set(pg, (prepared = new PreparedPglite(pg, capacity)));
    return prepared;
  }

  /**
   * @param capacity statements kept at most; the least recently used is closed (DEALLOCATEd) past it. The portal
   *   has ~300 distinct texts; a text with a list of values (`in ($1, …, $n)`) is one statement per length.
   */
  private constructor(
    readonly pg: PGlite,
    readonly capacity = 400,
  ) {}

  /** Statements currently prepared (tests). */
  get prepared(): number {
    return this.#statements.size;
  }

  query<T>(query: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> {
    if (options?.blob || options?.paramTypes) return this.pg.query<T>(query, params, options);
    // PGlite's query holds the transaction lock (no statement lands inside another caller's transaction) and the
    // query lock; so does this
    return this.pg._runExclusiveTransaction(() =>
      this.pg.runExclusive(() => this.#run<T>(query, params, options, false)),
    );
  }

  transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.pg.transaction((tx) => {
      const prepared: Transaction = {
        query: <R>(query: string, params: unknown[] = [], options?: QueryOptions) => {
          if (tx.closed) throw new Error("Transaction is closed");
          if (options?.blob || options?.paramTypes) return tx.query<R>(query, params, options);
          // inside its transaction the lock of a statement is the query lock only (as PGlite's `tx.query`)
          return this.pg.runExclusive(() => this.#run<R>(query, params, options, true));
        },
        sql: (strings, ...params) => tx.sql(strings, ...params),
        exec: (query, options) => tx.exec(query, options),
        rollback: () => tx.rollback(),
        listen: (channel, callback) => tx.listen(channel, callback),
        get closed() {
          return tx.closed;
        },
      };
      return callback(prepared);
    });
  }

  async #run<T>(
    query: string,
    params: unknown[],
    options: QueryOptions | undefined,
    inTransaction: boolean,
  ): Promise<Results<T>> {
    const exec = (message: Uint8Array) =>
      this.pg.execProtocolStream(message, { syncToFs: false, onNotice: options?.onNotice });
    try {
      let statement = this.#statements.get(query);
      if (statement) {
        this.#statements.delete(query);
        this.#statements.set(query, statement);
      } else statement = await this.#prepare(query, exec);
      try {
        return await this.#execute<T>(statement, params, options, exec);
      } catch (err) {
        if ((err as { code?: string }).code !== CACHED_PLAN_CHANGED) throw err;
        // the statement's columns changed since it was parsed: forget it; outside a transaction, parse it again
        this.#forget(query);
        if (inTransaction) throw err;
        return await this.#execute<T>(await this.#prepare(query, exec), params, options, exec);
      }
    } catch (err) {
      throw withQuery(err, query, params, options);
    } finally {
      if (!inTransaction) await this.pg.syncToFs();
    }
  }

  async #prepare(query: string, exec: (m: Uint8Array) => Promise<Message[]>): Promise<Statement> {
    for (const text of this.#statements.keys()) {
      if (this.#statements.size < this.capacity) break;
      this.#forget(text);
    }
    const closing = this.#toClose;
    const name = `pim_s${++this.#made}`;
    const messages = await exec(
      concat([
        // closing a statement that does not exist is no error, so a close sent twice is harmless
        ...closing.map((old) => serialize.close({ type: "S", name: old })),
        serialize.parse({ name, text: query }),
        serialize.describe({ type: "S", name }),
        serialize.sync(),
      ]),
    );
    this.#toClose = this.#toClose.slice(closing.length);
    const statement: Statement = {
      name,
      paramTypes: parse.parseDescribeStatementResults(messages),
      rowDescription: messages.find((m) => m.name === "rowDescription"),
    };
    this.#statements.set(query, statement);
    return statement;
  }

  async #execute<T>(
    statement: Statement,
    params: unknown[],
    options: QueryOptions | undefined,
    exec: (m: Uint8Array) => Promise<Message[]>,
  ): Promise<Results<T>> {
    const values = params.map((param, i) => {
      if (param === null || param === undefined) return null;
      const oid = statement.paramTypes[i] ?? 0;
      const serializer = options?.serializers?.[oid] ?? this.pg.serializers[oid];
      return serializer ? serializer(param) : String(param);
    });
    const messages = await exec(
      concat([serialize.bind({ statement: statement.name, values }), serialize.execute({}), serialize.sync()]),
    );
    const described = statement.rowDescription ? [statement.rowDescription, ...messages] : messages;
    return parse.parseResults(described, this.pg.parsers, options)[0] as Results<T>;
  }

  #forget(query: string): void {
    const statement = this.#statements.get(query);
    if (!statement) return;
    this.#statements.delete(query);
    this.#toClose.push(statement.name);
  }
}
