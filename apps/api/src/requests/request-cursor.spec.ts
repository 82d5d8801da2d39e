import { decodeCursor, encodeCursor } from './request-cursor';

describe('request cursor', () => {
  it('accepts the largest bigint id', () => {
    const position = { createdAt: '9999-12-31T23:59:59.999999Z', id: '9223372036854775807' };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it('round-trips a position with microsecond precision', () => {
    // Arrange
    const position = { createdAt: '2025-03-14T07:11:18.325123Z', id: '9007199254740993' };

    // Act
    const decoded = decodeCursor(encodeCursor(position));

    // Assert
    expect(decoded).toEqual(position);
  });

  it.each([
    '',
    'not-a-cursor',
    Buffer.from('2025-03-14|1; DROP TABLE x').toString('base64url'),
    encodeCursor({ createdAt: '0000-01-01T00:00:00.000000Z', id: '1' }),
    encodeCursor({ createdAt: '2025-13-01T00:00:00.000000Z', id: '1' }),
    encodeCursor({ createdAt: '2025-03-14T07:11:18.325123Z', id: '9223372036854775808' }),
  ])('rejects %p', (text) => {
    expect(decodeCursor(text)).toBeUndefined();
  });
});
