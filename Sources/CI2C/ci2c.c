#include "ci2c.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/i2c.h>
#include <linux/i2c-dev.h>
#include <i2c/smbus.h>

// libi2c 4.x returns -errno itself; ioctl/read/write return -1 and set errno.
static int neg_errno(void) { return errno ? -errno : -EIO; }

int ci2c_open(const char *path) {
    int fd = open(path, O_RDWR | O_CLOEXEC);
    return fd < 0 ? neg_errno() : fd;
}

int ci2c_close(int fd) { return close(fd) < 0 ? neg_errno() : 0; }

int ci2c_set_slave(int fd, uint16_t addr, int force) {
    return ioctl(fd, force ? I2C_SLAVE_FORCE : I2C_SLAVE, (unsigned long)addr) < 0 ? neg_errno() : 0;
}

int ci2c_funcs(int fd, unsigned long *funcs) {
    return ioctl(fd, I2C_FUNCS, funcs) < 0 ? neg_errno() : 0;
}

int ci2c_write_read(int fd, uint16_t addr, const uint8_t *wbuf, uint16_t wlen,
                    uint8_t *rbuf, uint16_t rlen) {
    struct i2c_msg msgs[2];
    int n = 0;
    if (wlen > 0) {
        msgs[n].addr = addr; msgs[n].flags = 0; msgs[n].len = wlen; msgs[n].buf = (uint8_t *)wbuf; n++;
    }
    if (rlen > 0) {
        msgs[n].addr = addr; msgs[n].flags = I2C_M_RD; msgs[n].len = rlen; msgs[n].buf = rbuf; n++;
    }
    if (n == 0) return -EINVAL;
    struct i2c_rdwr_ioctl_data data = { .msgs = msgs, .nmsgs = (uint32_t)n };
    return ioctl(fd, I2C_RDWR, &data) < 0 ? neg_errno() : 0;
}

int ci2c_read(int fd, uint8_t *buf, size_t len) {
    ssize_t r = read(fd, buf, len);
    return r < 0 ? neg_errno() : (int)r;
}

int ci2c_write(int fd, const uint8_t *buf, size_t len) {
    ssize_t r = write(fd, buf, len);
    return r < 0 ? neg_errno() : (int)r;
}

int ci2c_smbus_write_quick(int fd, uint8_t value) { return i2c_smbus_write_quick(fd, value); }
int ci2c_smbus_read_byte(int fd) { return i2c_smbus_read_byte(fd); }
int ci2c_smbus_read_byte_data(int fd, uint8_t reg) { return i2c_smbus_read_byte_data(fd, reg); }
int ci2c_smbus_write_byte_data(int fd, uint8_t reg, uint8_t value) {
    return i2c_smbus_write_byte_data(fd, reg, value);
}
int ci2c_smbus_read_word_data(int fd, uint8_t reg) { return i2c_smbus_read_word_data(fd, reg); }
int ci2c_smbus_write_word_data(int fd, uint8_t reg, uint16_t value) {
    return i2c_smbus_write_word_data(fd, reg, value);
}
int ci2c_smbus_read_i2c_block_data(int fd, uint8_t reg, uint8_t len, uint8_t *buf) {
    return i2c_smbus_read_i2c_block_data(fd, reg, len, buf);
}
int ci2c_smbus_write_i2c_block_data(int fd, uint8_t reg, uint8_t len, const uint8_t *buf) {
    return i2c_smbus_write_i2c_block_data(fd, reg, len, buf);
}
int ci2c_smbus_read_block_data(int fd, uint8_t reg, uint8_t *buf) {
    return i2c_smbus_read_block_data(fd, reg, buf);
}

uint32_t ci2c_func_i2c(void) { return I2C_FUNC_I2C; }
uint32_t ci2c_func_smbus_read_i2c_block(void) { return I2C_FUNC_SMBUS_READ_I2C_BLOCK; }
uint32_t ci2c_func_smbus_read_block_data(void) { return I2C_FUNC_SMBUS_READ_BLOCK_DATA; }
