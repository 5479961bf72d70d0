/**
 * The base catalogs documents are analysed against, each built once: the built-in catalog of a
 * PostgreSQL major, and one per live snapshot a database gave.
 */
import { Catalog } from './core/catalog';
import type { CatalogSnapshot } from './core/catalog-snapshot';

export class Catalogs {
  private readonly builtins = new Map<number, Catalog>();
  private readonly lives = new WeakMap<CatalogSnapshot, Catalog>();
  private liveSnapshots = 0;

  constructor(private readonly loadBuiltin: (major: number) => CatalogSnapshot) {}

  builtin(major: number): Catalog {
    let catalog = this.builtins.get(major);
    if (!catalog) {
      catalog = Catalog.fromSnapshot(this.loadBuiltin(major));
      this.builtins.set(major, catalog);
    }
    return catalog;
  }

  live(snapshot: CatalogSnapshot): Catalog {
    let catalog = this.lives.get(snapshot);
    if (!catalog) {
      // Each snapshot read gets its own id: a refreshed catalog must not hit caches of the old one.
      catalog = Catalog.fromSnapshot(snapshot, `live:${snapshot.source.versionNum}:${++this.liveSnapshots}`);
      this.lives.set(snapshot, catalog);
    }
    return catalog;
  }
}
