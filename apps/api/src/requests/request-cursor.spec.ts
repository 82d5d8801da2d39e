import { decodeCursor, encodeCursor } from './request-cursor';

describe('request cursor', () => {
  it('round-trips a position with microsecond precision', () => {
    // Arrange
    const position = { createdAt: '2025-03-14T07:11:18.325123Z', id: '9007199254740993' };

    // Act
    const decoded = decodeCursor(encodeCursor(position));

    // Assert
    expect(decoded).toEqual(position);
  });

  it.each(['', 'not-a-cursor', Buffer.from('2025-03-14|1; DROP TABLE x').toString('base64url')])(
    'rejects %p',
    (text) => {
      expect(decodeCursor(text)).toBeUndefined();
    },
  );
});
