import { describe, expect, it } from 'vitest';
import { localDatabaseName, serverOfScript, targetProblem } from './ConnectionController.js';

describe('where a board connects', () => {
  it('defaults to the server its script came from', () => {
    expect(serverOfScript('http://boards.example:1234/inkroom-board.js')).toBe('ws://boards.example:1234');
    expect(serverOfScript('https://boards.example/inkroom-board.js?v=2')).toBe('wss://boards.example');
    expect(serverOfScript('file:///home/me/inkroom-board.js')).toBe('');
    expect(serverOfScript('not a url')).toBe('');
  });

  it('keeps each server’s room in its own IndexedDB database', () => {
    const a = localDatabaseName({ server: 'ws://a:1234', room: 'plan' });
    expect(a).toBe('inkroom:ws://a:1234/plan');
    expect(localDatabaseName({ server: 'ws://b:1234', room: 'plan' })).not.toBe(a);
    expect(localDatabaseName({ server: 'ws://a', room: '1/x' })).not.toBe(
      localDatabaseName({ server: 'ws://a/1', room: 'x' }),
    );
  });

  it('refuses servers that are not WebSocket URLs, and rooms a URL cannot hold', () => {
    expect(targetProblem({ server: 'ws://localhost:1234', room: 'plan' })).toBeNull();
    expect(targetProblem({ server: 'wss://boards.example/sync', room: '..plan' })).toBeNull();
    expect(targetProblem({ server: 'localhost:1234', room: 'plan' })).toMatch(/not a WebSocket URL/);
    expect(targetProblem({ server: 'boards', room: 'plan' })).toMatch(/not a URL/);
    expect(targetProblem({ server: 'http://localhost:1234', room: 'plan' })).toMatch(/not a WebSocket URL/);
    expect(targetProblem({ server: 'ws://localhost:1234', room: '..' })).toMatch(/cannot be used/);
  });
});
