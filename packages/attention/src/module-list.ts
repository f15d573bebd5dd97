/**
 * `ModuleList`: submodules held in order and named "0", "1", …, as `torch.nn.ModuleList`, so a
 * stack's parameters are `layers.0.…`, `layers.1.…` as in PyTorch's state dict.
 */
import { LmkitError, Module } from '@lmkit/tensor';

export class ModuleList<M extends Module> extends Module {
  readonly items: readonly M[];

  constructor(items: readonly M[]) {
    super();
    this.items = items;
    items.forEach((m, i) => this.addModule(String(i), m));
  }

  /** A list has no computation of its own (as PyTorch's): the owner runs its items. */
  forward(): never {
    throw new LmkitError('ModuleList has no forward: run its items');
  }
}
