// CI2C: thin, non-variadic wrappers over Linux i2c-dev ioctls and libi2c (i2c-tools 4.x).
// Swift cannot call the variadic ioctl(2); each wrapper names the C call it makes.
// Convention: a negative return value is -errno, captured in C right after the call.
#ifndef CI2C_H
#define CI2C_H

#include <stdint.h>
#include <stddef.h>

/// open(path, O_RDWR | O_CLOEXEC). Returns the fd or -errno.
int ci2c_open(const char *path);

/// close(fd). Returns 0 or -errno.
int ci2c_close(int fd);

/// ioctl(fd, I2C_SLAVE, addr), or I2C_SLAVE_FORCE when force != 0. Returns 0 or -errno.
int ci2c_set_slave(int fd, uint16_t addr, int force);

/// ioctl(fd, I2C_FUNCS, &funcs). Returns 0 or -errno; *funcs gets the adapter's I2C_FUNC_* mask.
int ci2c_funcs(int fd, unsigned long *funcs);

/// ioctl(fd, I2C_RDWR, ...) with one write message then one read message (repeated start).
/// Either length may be 0 to send just one message. Returns 0 or -errno.
int ci2c_write_read(int fd, uint16_t addr, const uint8_t *wbuf, uint16_t wlen,
                    uint8_t *rbuf, uint16_t rlen);

/// read(fd, buf, len): a plain I2C read (i2c_master_recv). Returns bytes read or -errno.
int ci2c_read(int fd, uint8_t *buf, size_t len);

/// write(fd, buf, len): a plain I2C write (i2c_master_send). Returns bytes written or -errno.
int ci2c_write(int fd, const uint8_t *buf, size_t len);

/// i2c_smbus_write_quick(fd, value). Returns 0 or -errno.
int ci2c_smbus_write_quick(int fd, uint8_t value);

/// i2c_smbus_read_byte(fd) (SMBus receive byte). Returns the byte (0...255) or -errno.
int ci2c_smbus_read_byte(int fd);

/// i2c_smbus_read_byte_data(fd, reg). Returns the byte (0...255) or -errno.
int ci2c_smbus_read_byte_data(int fd, uint8_t reg);

/// i2c_smbus_write_byte_data(fd, reg, value). Returns 0 or -errno.
int ci2c_smbus_write_byte_data(int fd, uint8_t reg, uint8_t value);

/// i2c_smbus_read_word_data(fd, reg). SMBus words are little-endian on the wire.
/// Returns the word (0...65535) or -errno.
int ci2c_smbus_read_word_data(int fd, uint8_t reg);

/// i2c_smbus_write_word_data(fd, reg, value). Returns 0 or -errno.
int ci2c_smbus_write_word_data(int fd, uint8_t reg, uint16_t value);

/// i2c_smbus_read_i2c_block_data(fd, reg, len, buf): I2C-block read of len (<= 32) bytes
/// starting at reg, no count byte. Returns the number of bytes read or -errno.
int ci2c_smbus_read_i2c_block_data(int fd, uint8_t reg, uint8_t len, uint8_t *buf);

/// i2c_smbus_write_i2c_block_data(fd, reg, len, buf). Returns 0 or -errno.
int ci2c_smbus_write_i2c_block_data(int fd, uint8_t reg, uint8_t len, const uint8_t *buf);

/// i2c_smbus_read_block_data(fd, reg, buf): SMBus block read (the device sends a count byte
/// first; buf must hold 32 bytes). Returns the count or -errno.
int ci2c_smbus_read_block_data(int fd, uint8_t reg, uint8_t *buf);

/// The I2C_FUNC_* bits the Swift side checks (values from <linux/i2c.h>).
uint32_t ci2c_func_i2c(void);
uint32_t ci2c_func_smbus_read_i2c_block(void);
uint32_t ci2c_func_smbus_read_block_data(void);

#endif
